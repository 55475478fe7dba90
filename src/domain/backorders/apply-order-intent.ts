import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { backorderEvents, backorders, products, webhookReceipts } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { BackorderInput, type BackorderSource } from './backorder-input.js';
import type { OrderIntent } from './order-intent.js';
import { refundDueBy } from './refund-clock.js';
import { type OnCreated, registerBackorders } from './register-backorders.js';

export type OrderWebhookResult = {
  duplicate: boolean;
  action: OrderIntent['kind'];
  registered: number;
  existing: number;
  closed: number;
  skipped: { sku?: string; why: string }[];
};

/**
 * Applies one verified order webhook exactly once: its delivery id goes into `webhook_receipts` in the
 * same transaction as the changes, so a redelivery (even a concurrent one) changes nothing.
 * - register: with `shortfallOf: 'stock'` only SKUs we know, that are backorderable and whose known
 *   stock does not cover the ordered quantity become lines, for the shortfall (quantity − stock;
 *   several items of one SKU in an order draw on the stock in turn). The stock itself is left alone:
 *   the platform's own inventory webhook reports what the order did to it.
 * - close: every line of the order (or only the given SKUs) that is not final becomes cancelled/fulfilled.
 */
export async function applyOrderIntent(
  deps: { db: Db; clock: Clock; config: Pick<Config, 'backorders' | 'signup'>; onCreated?: OnCreated | undefined },
  delivery: { provider: 'shopify' | 'woocommerce'; deliveryId?: string; bodyHash?: string; intent: OrderIntent },
): Promise<OrderWebhookResult> {
  const now = deps.clock.now();
  const { intent, provider } = delivery;
  const result: OrderWebhookResult = {
    duplicate: false,
    action: intent.kind,
    registered: 0,
    existing: 0,
    closed: 0,
    skipped: [],
  };
  return withTx(deps.db, async (tx) => {
    // Like product webhooks: the (unsigned) delivery id AND topic + body hash are keys, so a signed body
    // replayed under a fresh id is a duplicate too.
    if (delivery.deliveryId || delivery.bodyHash) {
      const fresh = await tx
        .insert(webhookReceipts)
        .values({
          provider: `${provider}-orders`,
          deliveryId: delivery.deliveryId ?? `sha256:${delivery.bodyHash}`,
          bodyHash: delivery.bodyHash,
          receivedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: webhookReceipts.deliveryId });
      if (fresh.length === 0) return { ...result, duplicate: true };
    }
    if (intent.kind === 'ignore') return { ...result, skipped: [{ why: intent.why }] };
    if (intent.kind === 'close') {
      result.closed = await closeOrderLines(tx, intent, provider, now, deps.config.backorders.creditBillingCycleDays);
      return result;
    }
    let items = intent.items;
    if (intent.shortfallOf === 'stock') {
      const skus = [...new Set(items.map((i) => i.sku))];
      const known = skus.length ? await tx.select().from(products).where(inArray(products.sku, skus)) : [];
      const stock = new Map(known.map((p) => [p.sku, p]));
      const left = new Map(known.map((p) => [p.sku, Math.max(0, p.quantity)]));
      const short: typeof items = [];
      for (const item of items) {
        const p = stock.get(item.sku);
        if (!p) result.skipped.push({ sku: item.sku, why: 'unknown SKU' });
        else if (!p.backorderable) result.skipped.push({ sku: item.sku, why: 'not backorderable' });
        else {
          const have = left.get(item.sku) ?? 0;
          const covered = Math.min(have, item.quantity);
          left.set(item.sku, have - covered);
          if (item.quantity > covered) short.push({ sku: item.sku, quantity: item.quantity - covered });
          else result.skipped.push({ sku: item.sku, why: 'covered by stock' });
        }
      }
      items = short;
    }
    // Several items of one SKU in one order are one backorder line.
    const merged = new Map<string, number>();
    for (const i of items) merged.set(i.sku, (merged.get(i.sku) ?? 0) + i.quantity);
    const inputs = [...merged].flatMap(([sku, quantity]) => {
      const parsed = BackorderInput.safeParse({
        orderId: intent.orderId,
        orderLabel: intent.orderLabel,
        sku,
        email: intent.email,
        quantity,
        customerName: intent.customerName,
        locale: intent.locale,
        orderedAt: intent.orderedAt,
      });
      if (!parsed.success)
        result.skipped.push({
          sku,
          why: parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '),
        });
      return parsed.success ? [parsed.data] : [];
    });
    const registered = await registerBackorders({ ...deps, db: tx }, { lines: inputs, source: provider });
    for (const [i, r] of registered.entries()) {
      if (r.ok) r.created ? (result.registered += 1) : (result.existing += 1);
      else result.skipped.push({ sku: inputs[i]!.sku, why: r.message });
    }
    return result;
  });
}

async function closeOrderLines(
  tx: Db,
  intent: Extract<OrderIntent, { kind: 'close' }>,
  source: BackorderSource,
  now: Date,
  billingCycleDays: number,
): Promise<number> {
  const conditions = [
    eq(backorders.orderId, intent.orderId),
    notInArray(backorders.status, ['fulfilled', 'cancelled']),
  ];
  if (intent.skus) {
    if (intent.skus.length === 0) return 0;
    conditions.push(inArray(backorders.sku, intent.skus));
  }
  const before = await tx
    .select({
      id: backorders.id,
      status: backorders.status,
      creditApplied: backorders.creditApplied,
      refundDueBy: backorders.refundDueBy,
    })
    .from(backorders)
    .where(and(...conditions))
    .for('update');
  if (before.length === 0) return 0;
  const today = now.toISOString().slice(0, 10);
  for (const b of before) {
    // A cancellation in the shop starts the refund clock too (16 CFR 435.1 "prompt refund").
    const refund =
      intent.status === 'cancelled' ? { refundDueBy: b.refundDueBy ?? refundDueBy(today, b, billingCycleDays) } : {};
    await tx
      .update(backorders)
      .set({ status: intent.status, awaitingAnswer: false, ...refund, updatedAt: now })
      .where(eq(backorders.id, b.id));
  }
  await tx.insert(backorderEvents).values(
    before.map((b) => ({
      backorderId: b.id,
      type: 'status',
      source,
      oldStatus: b.status,
      newStatus: intent.status,
      reason: intent.reason,
      at: now,
    })),
  );
  return before.length;
}
