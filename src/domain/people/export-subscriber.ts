import { asc, eq, inArray, or } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { deliveries, orderLines, orders, subscriptions, suppressions } from '../../db/schema/index.js';
import { normalizeEmail } from '../../mail/address.js';
import { canonicalMailbox } from '../validation/email.js';
import { backorderLines } from './backorder-lines.js';

/** Shop orders recorded for the results report under the address's mailbox, with their lines. */
async function recordedOrders(deps: Pick<Deps, 'db'>, mailbox: string) {
  const found = await deps.db.select().from(orders).where(eq(orders.mailbox, mailbox)).orderBy(asc(orders.placedAt));
  if (found.length === 0) return [];
  const ids = found.map((o) => o.orderId);
  const lines = await deps.db
    .select()
    .from(orderLines)
    .where(inArray(orderLines.orderId, ids))
    .orderBy(asc(orderLines.lineNo));
  return found.map((o) => ({ ...o, lines: lines.filter((l) => l.orderId === o.orderId) }));
}

/**
 * Everything held about one address (GDPR access request), as JSON: every subscription, every
 * delivery with the variables it was rendered with, the suppression, the order lines, the recorded shop orders. The sender's
 * lease fields are left out; confirmation tokens live in their own table and are not personal data.
 */
export async function exportSubscriber(ctx: Pick<Deps, 'db' | 'clock'>, input: { email: string }) {
  const { email } = input;
  const normalized = normalizeEmail(email);
  const subs = await ctx.db.select().from(subscriptions).where(eq(subscriptions.emailNormalized, normalized));
  const ids = subs.map((s) => s.id);
  const dels = await ctx.db
    .select()
    .from(deliveries)
    .where(
      ids.length > 0
        ? or(eq(deliveries.recipientNormalized, normalized), inArray(deliveries.subscriptionId, ids))
        : eq(deliveries.recipientNormalized, normalized),
    );
  const [suppression] = await ctx.db.select().from(suppressions).where(eq(suppressions.email, normalized));
  return {
    email: normalized,
    exportedAt: ctx.clock.now().toISOString(),
    subscriptions: subs,
    deliveries: dels.map(({ claimedBy: _b, claimedUntil: _u, dedupeKey: _k, ...d }) => d),
    suppression: suppression ?? null,
    orderLines: await backorderLines(ctx, { normalizedEmail: normalized }),
    orders: await recordedOrders(ctx, canonicalMailbox(normalized)),
  };
}
