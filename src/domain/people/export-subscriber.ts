import { eq, inArray, or } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { deliveries, subscriptions, suppressions } from '../../db/schema/index.js';
import { normalizeEmail } from '../../mail/address.js';
import { backorderLines } from './backorder-lines.js';

/**
 * Everything held about one address (GDPR access request), as JSON: every subscription, every
 * delivery with the variables it was rendered with, the suppression, the order lines. The sender's
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
    .where(ids.length > 0 ? or(eq(deliveries.recipientNormalized, normalized), inArray(deliveries.subscriptionId, ids)) : eq(deliveries.recipientNormalized, normalized));
  const [suppression] = await ctx.db.select().from(suppressions).where(eq(suppressions.email, normalized));
  return {
    email: normalized,
    exportedAt: ctx.clock.now().toISOString(),
    subscriptions: subs,
    deliveries: dels.map(({ claimedBy: _b, claimedUntil: _u, dedupeKey: _k, ...d }) => d),
    suppression: suppression ?? null,
    orderLines: await backorderLines(ctx, { normalizedEmail: normalized }),
  };
}
