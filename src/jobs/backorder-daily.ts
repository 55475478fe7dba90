import { createLedgerOutbox } from '../domain/backorders/ledger-outbox.js';
import { markLapsedDeadlines } from '../domain/backorders/mark-lapsed-deadlines.js';
import { notifyLateLines } from '../domain/backorders/notify-late-lines.js';
import { runExclusive } from './exclusive.js';
import { withSettings } from '../domain/settings/effective-settings.js';
import type { Job } from './scheduler.js';

/**
 * `backorder-daily`: lines whose consent deadline passed unanswered become `cancel_due` (webhook to the
 * shop), then open lines whose expected date lapsed get their delay option notice. Deadlines first, so
 * a line that just became cancel_due is not also told about a lapse. Once per tick across instances.
 */
export const backorderDailyJob: Job = async (deps) => {
  const run = await runExclusive(deps, 'backorder-daily', async () => {
    const d = await withSettings(deps, { fresh: true }); // ETA_CHANGE_MIN_DAYS as the console set it
    const outbox = createLedgerOutbox(d);
    const deadlines = await markLapsedDeadlines(d, outbox);
    const late = await notifyLateLines(d, outbox);
    return { ...deadlines, lateExamined: late.examined, lateNotices: late.notices };
  });
  return run.ran ? run.result : { skipped: true, reason: 'another instance is running backorder-daily' };
};
