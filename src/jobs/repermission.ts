import { askStaleSubscribers } from '../domain/repermission/ask-stale-subscribers.js';
import { expireUnanswered } from '../domain/repermission/expire-unanswered.js';
import { publishWake } from '../db/wake.js';
import { withSettings } from '../domain/settings/effective-settings.js';
import type { Job } from './scheduler.js';

/**
 * `repermission` (REPERMISSION_CRON, default daily 04:23): first unsubscribes those who did not answer
 * "still interested?" within the grace period, then asks those whose wait passed
 * REPERMISSION_AFTER_DAYS. Both steps are batched and safe on several instances; the emails go out
 * with the send pass the wake-up starts (or the next send tick). Summary: `{ unsubscribed, asked, batches }`.
 */
export const repermissionJob: Job = async (jobDeps, services) => {
  // REPERMISSION_AFTER_DAYS as the console set it, read afresh each run.
  const deps = await withSettings(jobDeps, { fresh: true });
  if (deps.config.repermission.afterDays <= 0) return { skipped: true, reason: 'REPERMISSION_AFTER_DAYS is 0' };
  const expired = await expireUnanswered(deps);
  const asked = await askStaleSubscribers({ ...deps, outbox: services.outbox.deliveries });
  // The questions are bulk mail: wake the workers' send pass rather than wait for the next send tick.
  if (asked.asked > 0) await publishWake(deps.db, 'deliveries');
  return { ...expired, ...asked };
};
