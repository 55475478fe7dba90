import { applyRetention } from '../domain/retention/apply-retention.js';
import { runExclusive } from './exclusive.js';
import type { Job } from './scheduler.js';

/**
 * `retention` (RETENTION_CRON, default daily 03:43): deletes old webhook receipts, inventory events and
 * finished deliveries (applyRetention). One instance per tick (a second would only find less to do).
 * The summary — rows removed per table and the cutoffs — is logged by the scheduler / admin route.
 */
export const retentionJob: Job = async (deps, _services, signal) => {
  const run = await runExclusive(deps, 'retention', () => applyRetention(deps, { signal }));
  return run.ran ? run.result : { skipped: true, reason: 'another instance is running retention' };
};
