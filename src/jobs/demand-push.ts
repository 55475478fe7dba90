import { pushDemandSummary } from '../domain/demand/push-demand-summary.js';
import { runExclusive } from './exclusive.js';
import type { Job } from './scheduler.js';

/**
 * `demand-push` (DEMAND_PUSH_CRON, default daily 06:15 UTC; scheduled only with DEMAND_WEBHOOK_URL):
 * queues the day's waitlist summary for purchasing and wakes the sender. One instance per tick; the
 * ledger's per-day key makes a second tick a no-op anyway.
 */
export const demandPushJob: Job = async (deps, services) => {
  const run = await runExclusive(deps, 'demand-push', () =>
    pushDemandSummary({ ...deps, outbox: services.outbox.deliveries }),
  );
  if (!run.ran) return { skipped: true, reason: 'another instance is running demand-push' };
  if (run.result.queued) services.notify();
  return run.result;
};
