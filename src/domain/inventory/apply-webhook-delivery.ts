import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { webhookReceipts, type InventorySource } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { applyInventoryChanges, type ChangeOutcome } from './apply-inventory-changes.js';
import type { InventoryChange } from './inventory-input.js';

export type WebhookResult = { duplicate: boolean; results: { sku: string; outcome: ChangeOutcome }[] };

/**
 * Applies the changes of one verified webhook delivery exactly once: the delivery id is recorded in
 * `webhook_receipts` in the same transaction as the changes (INSERT … ON CONFLICT DO NOTHING), so a
 * redelivery — even one racing the first — applies nothing, and a failed apply records nothing.
 * Without a delivery id the changes are applied (they are idempotent as state updates anyway).
 */
export async function applyWebhookDelivery(
  deps: { db: Db; clock: Clock },
  delivery: { provider: InventorySource; deliveryId?: string; changes: InventoryChange[] },
): Promise<WebhookResult> {
  return withTx(deps.db, async (tx) => {
    if (delivery.deliveryId) {
      const fresh = await tx
        .insert(webhookReceipts)
        .values({ provider: delivery.provider, deliveryId: delivery.deliveryId, receivedAt: deps.clock.now() })
        .onConflictDoNothing()
        .returning({ id: webhookReceipts.deliveryId });
      if (fresh.length === 0) return { duplicate: true, results: [] };
    }
    const applied = await applyInventoryChanges({ db: tx, clock: deps.clock }, delivery.changes, delivery.provider);
    return { duplicate: false, results: applied.map((a) => ({ sku: a.sku, outcome: a.outcome })) };
  });
}
