import { desc, eq, or, inArray } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { deliveries, products, subscriptions, suppressions } from '../../db/schema/index.js';
import { normalizeEmail } from '../../mail/address.js';
import { backorderLines } from './backorder-lines.js';

export type SubscriberView = {
  email: string;
  suppression: { reason: string; createdAt: string } | null;
  subscriptions: {
    id: number;
    sku: string;
    productName: string | null;
    status: string;
    locale: string | null;
    name: string | null;
    source: string | null;
    createdAt: string;
    confirmedAt: string | null;
    notifiedAt: string | null;
    unsubscribedAt: string | null;
  }[];
  deliveries: {
    id: number;
    templateKey: string;
    status: string;
    subscriptionId: number | null;
    /** The delivery kind (src/ledger/kinds/) and what it refers to (restock or ETA event id). */
    kind: string;
    eventId: number | null;
    attempts: number;
    lastError: string | null;
    smtpResponse: string | null;
    createdAt: string;
    sentAt: string | null;
    nextAttemptAt: string;
  }[];
  orderLines: Record<string, unknown>[];
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Everything an operator needs to answer "why did this customer get no email?": the address's
 * subscriptions, its newest 200 deliveries with their errors and SMTP replies, its suppression, and
 * its order lines on backorder (when that feature is installed).
 */
export async function lookupSubscriber(ctx: Pick<Deps, 'db'>, input: { email: string }): Promise<SubscriberView> {
  const { email } = input;
  const normalized = normalizeEmail(email);
  const subs = await ctx.db
    .select({ s: subscriptions, productName: products.name })
    .from(subscriptions)
    .leftJoin(products, eq(products.sku, subscriptions.sku))
    .where(eq(subscriptions.emailNormalized, normalized))
    .orderBy(desc(subscriptions.createdAt));
  const ids = subs.map((r) => r.s.id);
  const dels = await ctx.db
    .select()
    .from(deliveries)
    .where(
      ids.length > 0
        ? or(eq(deliveries.recipientNormalized, normalized), inArray(deliveries.subscriptionId, ids))
        : eq(deliveries.recipientNormalized, normalized),
    )
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
    .limit(200);
  const [suppression] = await ctx.db.select().from(suppressions).where(eq(suppressions.email, normalized)).limit(1);
  return {
    email: normalized,
    suppression: suppression ? { reason: suppression.reason, createdAt: suppression.createdAt.toISOString() } : null,
    subscriptions: subs.map(({ s, productName }) => ({
      id: s.id,
      sku: s.sku,
      productName,
      status: s.status,
      locale: s.locale,
      name: s.name,
      source: s.source,
      createdAt: s.createdAt.toISOString(),
      confirmedAt: iso(s.confirmedAt),
      notifiedAt: iso(s.notifiedAt),
      unsubscribedAt: iso(s.unsubscribedAt),
    })),
    deliveries: dels.map((d) => ({
      id: d.id,
      templateKey: d.templateKey,
      status: d.status,
      subscriptionId: d.subscriptionId,
      kind: d.kind,
      eventId: d.refId,
      attempts: d.attempts,
      lastError: d.lastError,
      smtpResponse: d.smtpResponse,
      createdAt: d.createdAt.toISOString(),
      sentAt: iso(d.sentAt),
      nextAttemptAt: d.nextAttemptAt.toISOString(),
    })),
    orderLines: await backorderLines(ctx, { normalizedEmail: normalized }),
  };
}
