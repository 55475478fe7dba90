import type { SQL } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import {
  deleteDeliveriesSql,
  deleteInventoryEventsSql,
  deleteWebhookReceiptsSql,
  type BatchResult,
} from './retention-statements.js';

export type RetentionSummary = {
  webhookReceipts: number;
  inventoryEvents: number;
  deliveries: number;
  statements: number;
  /** The cutoff per table (ISO time), or null when that window is 0 (kept forever). */
  cutoffs: { webhookReceipts: string | null; inventoryEvents: string | null; deliveries: string | null };
};

const DAY_MS = 86_400_000;

/**
 * Deletes rows older than their retention window (RETENTION_*_DAYS; 0 = keep forever) in bounded
 * batches of `batchSize`, one autocommitted statement each, so locks stay short and a stopped run
 * simply continues next time. What detection, the sender or a report still needs is never deleted
 * (see retention-statements.ts). Safe on several instances at once (a row is deleted once).
 * Side effects: DELETEs on webhook_receipts, inventory_events, deliveries. Errors: database errors propagate.
 */
export async function applyRetention(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<RetentionSummary> {
  const limit = options.batchSize ?? 1000;
  const now = deps.clock.now().getTime();
  const { retention } = deps.config;
  const cutoff = (days: number) => (days > 0 ? new Date(now - days * DAY_MS).toISOString() : null);
  const cutoffs = {
    webhookReceipts: cutoff(retention.webhookReceiptsDays),
    inventoryEvents: cutoff(retention.inventoryEventsDays),
    deliveries: cutoff(retention.deliveriesDays),
  };
  const summary: RetentionSummary = { webhookReceipts: 0, inventoryEvents: 0, deliveries: 0, statements: 0, cutoffs };

  const run = async (statement: SQL): Promise<BatchResult> => {
    summary.statements += 1;
    const [r] = await rows<BatchResult>(deps.db, statement);
    const lastId = r?.last_id === null || r?.last_id === undefined ? null : Number(r.last_id);
    return {
      deleted: Number(r?.deleted ?? 0),
      last_id: lastId,
      seen: Number(r?.seen ?? 0),
      newer: Number(r?.newer ?? 0),
    };
  };
  // Walks a table by id from the start; stops at the end or at a batch entirely inside the window.
  const walk = async (build: (afterId: number) => SQL): Promise<number> => {
    let after = 0;
    let total = 0;
    while (!options.signal?.aborted) {
      const r = await run(build(after));
      total += r.deleted;
      if (r.last_id === null || r.newer === r.seen) break;
      after = r.last_id;
    }
    return total;
  };

  if (cutoffs.webhookReceipts) {
    const at = cutoffs.webhookReceipts;
    while (!options.signal?.aborted) {
      const r = await run(deleteWebhookReceiptsSql(at, limit));
      summary.webhookReceipts += r.deleted;
      if (r.deleted < limit) break;
    }
  }
  if (cutoffs.inventoryEvents) {
    const at = cutoffs.inventoryEvents;
    summary.inventoryEvents = await walk((after) => deleteInventoryEventsSql(at, after, limit));
  }
  if (cutoffs.deliveries) {
    const at = cutoffs.deliveries;
    summary.deliveries = await walk((after) => deleteDeliveriesSql(at, after, limit));
  }
  return summary;
}
