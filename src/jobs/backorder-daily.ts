import { reviewOpenLines } from '../domain/backorders/review-open-lines.js';
import { runExclusive } from './exclusive.js';
import { withSettings } from '../domain/settings/effective-settings.js';
import type { Job } from './scheduler.js';

/**
 * `backorder-daily`: open lines near or past their ship-by date go through the delay rule — the option
 * notice before the date, `cancel_due` after it (webhook to the shop). Once per tick across instances.
 */
export const backorderDailyJob: Job = async (deps, services) => {
  const run = await runExclusive(deps, 'backorder-daily', async () => {
    const d = await withSettings(deps, { fresh: true }); // ETA_CHANGE_MIN_DAYS as the console set it
    const r = await reviewOpenLines({ ...d, outbox: services.outbox.backorders });
    return { cancelDue: r.cancelDue, lateExamined: r.examined, lateNotices: r.notices };
  });
  return run.ran ? run.result : { skipped: true, reason: 'another instance is running backorder-daily' };
};
