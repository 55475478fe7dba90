import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import type { Deps } from '../../deps.js';

const DAY_MS = 86_400_000;

/**
 * Unsubscribes active subscriptions asked "still interested?" more than REPERMISSION_GRACE_DAYS
 * (default 14) ago without an answer: their consent is stale, so they get no more mail. Batched (one
 * bounded UPDATE per `batchSize` rows through the partial index on `repermission_asked_at`); safe on
 * several instances (an updated row no longer matches). A "keep me" answer clears `repermission_asked_at`.
 * @returns how many were unsubscribed. No-op when REPERMISSION_AFTER_DAYS is 0 (nobody is asked).
 */
export async function expireUnanswered(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  options: { batchSize?: number } = {},
): Promise<{ unsubscribed: number }> {
  const { afterDays, graceDays } = deps.config.repermission;
  if (afterDays <= 0) return { unsubscribed: 0 };
  const limit = options.batchSize ?? 1000;
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - graceDays * DAY_MS).toISOString();
  let unsubscribed = 0;
  for (;;) {
    const done = await rows<{ id: number }>(
      deps.db,
      sql`
      update subscriptions set status = 'unsubscribed', unsubscribed_at = ${now.toISOString()}::timestamptz
       where id in (
         select id from subscriptions
          where status = 'active' and repermission_asked_at is not null and repermission_asked_at < ${cutoff}::timestamptz
          order by repermission_asked_at limit ${limit}
            for update skip locked)
      returning id`,
    );
    unsubscribed += done.length;
    if (done.length < limit) break;
  }
  return { unsubscribed };
}
