import type { Deps } from '../../deps.js';
import { createHash } from 'node:crypto';
import { webhookReceipts, type InventorySource } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import { MAX_CLOCK_SKEW_MS, notInFuture } from '../validation/text.js';
import { applyInventoryChanges, type ChangeOutcome } from './apply-inventory-changes.js';
import { InventoryChangeInput, type InventoryChange } from './inventory-input.js';

type WebhookRejected = { sku: string; errors: { path: string; message: string }[] };
export type WebhookResult = {
  duplicate: boolean;
  results: { sku: string; outcome: ChangeOutcome }[];
  rejected?: WebhookRejected[];
};

/** The replay key of a delivery: the same topic with the same raw body is the same delivery. */
export function webhookBodyHash(topic: string, rawBody: string | Uint8Array): string {
  return createHash('sha256').update(topic).update('\n').update(rawBody).digest('hex');
}

/**
 * Applies the changes of one verified webhook delivery exactly once. The receipt — keyed by the
 * delivery id AND by `bodyHash` (topic + raw body) — is recorded in the same transaction as the
 * changes (INSERT … ON CONFLICT DO NOTHING on either key), so a redelivery, a replay of the same
 * signed body under a new id, or one racing the first applies nothing, and a failed apply records
 * nothing. Without a delivery id the body hash is the id.
 * Each change passes the API's field rules (`InventoryChangeInput`): a bad one (a SKU with control
 * characters, 3,000 characters, …) is reported in `rejected` and skipped; the others apply.
 * @throws AppError VALIDATION when a signed `updated_at` is more than 5 minutes in the future
 * (it would freeze the SKU against every later update: older-than-stored deliveries are ignored).
 */
export async function applyWebhookDelivery(
  deps: Pick<Deps, 'db' | 'clock'>,
  delivery: { provider: InventorySource; deliveryId?: string; bodyHash: string; changes: InventoryChange[] },
): Promise<WebhookResult> {
  const now = deps.clock.now();
  const future = delivery.changes.find((c) => c.sourceUpdatedAt && !notInFuture(c.sourceUpdatedAt, now));
  if (future) {
    throw new AppError(
      'VALIDATION',
      `The payload's update time is more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes in the future.`,
      {
        details: [
          {
            path: 'updated_at',
            message: `must not be after ${new Date(now.getTime() + MAX_CLOCK_SKEW_MS).toISOString()}`,
          },
        ],
      },
    );
  }
  const good: InventoryChange[] = [];
  const rejected: WebhookRejected[] = [];
  for (const change of delivery.changes) {
    const parsed = InventoryChangeInput.safeParse(change);
    if (parsed.success) good.push(parsed.data);
    else
      rejected.push({
        sku: String(change.sku).slice(0, 200),
        errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
  }
  return withTx(deps.db, async (tx) => {
    const fresh = await tx
      .insert(webhookReceipts)
      .values({
        provider: delivery.provider,
        deliveryId: delivery.deliveryId ?? `sha256:${delivery.bodyHash}`,
        bodyHash: delivery.bodyHash,
        receivedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: webhookReceipts.deliveryId });
    if (fresh.length === 0) return { duplicate: true, results: [] };
    const applied = await applyInventoryChanges(
      { db: tx, clock: deps.clock },
      { changes: good, source: delivery.provider },
    );
    return {
      duplicate: false,
      results: applied.map((a) => ({ sku: a.sku, outcome: a.outcome })),
      ...(rejected.length > 0 ? { rejected } : {}),
    };
  });
}
