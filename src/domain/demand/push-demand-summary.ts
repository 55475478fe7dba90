import type { Deps } from '../../deps.js';
import type { Outbox } from '../../ledger/outbox.js';
import { demandSummary } from '../../ledger/kinds/index.js';
import { demandWebhookBody, summarizeDemand } from './summarize-demand.js';

export type DemandPushSummary = { queued: boolean; id?: string; skus: number; waiting: number; reason?: string };

/**
 * Queues today's demand summary (`demand.daily_summary`) on the ledger's webhook channel for
 * DEMAND_WEBHOOK_URL; the send pass POSTs it signed and retries it until the endpoint answers 2xx.
 * Idempotent per day: the delivery's dedupe key is the summary id (`demand-<date>`), so a second run
 * the same day queues nothing. Without DEMAND_WEBHOOK_URL it does nothing.
 */
export async function pushDemandSummary(
  ctx: Pick<Deps, 'config' | 'db' | 'clock'> & { outbox: Pick<Outbox, 'enqueue'> },
): Promise<DemandPushSummary> {
  if (!ctx.config.demandWebhook) return { queued: false, skus: 0, waiting: 0, reason: 'DEMAND_WEBHOOK_URL is not set' };
  const summary = await summarizeDemand(ctx);
  const body = demandWebhookBody(summary);
  const id = await ctx.outbox.enqueue(ctx.db, demandSummary, {
    to: 'demand-webhook',
    toNormalized: 'demand-webhook',
    variables: body,
    nonce: body.id,
  });
  return { queued: id !== undefined, id: body.id, skus: summary.skus.length, waiting: summary.totals.waiting };
}
