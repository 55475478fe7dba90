import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import { preparedStatement, type Db } from '../db/client.js';

const renewStatement = preparedStatement<[string, string, string], { n: number }>(
  (lease, ids, workerId) =>
    sql`with u as (
          update deliveries set claimed_until = ${lease}::timestamptz, next_attempt_at = ${lease}::timestamptz
          where id = any(${ids}::bigint[]) and claimed_by = ${workerId} and status = 'sending'
          returning 1
        )
        select count(*)::int as n from u`,
);

/**
 * Extends the lease of rows this worker still holds (`sending`, `claimed_by` = workerId) to
 * now + `leaseSeconds`. The sender calls it while a claimed batch is being worked, so a live worker
 * keeps its rows however long the batch takes, and a dead worker's rows are due again at most
 * `leaseSeconds` after its last renewal. Rows already recorded or taken over are left alone.
 * @returns how many rows were renewed.
 */
export async function renewLeases(
  deps: { db: Db; clock: Clock },
  workerId: string,
  ids: number[],
  leaseSeconds: number,
): Promise<number> {
  if (ids.length === 0) return 0;
  const now = deps.clock.now();
  const lease = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
  const renewed = await renewStatement(deps.db, lease, `{${ids.join(',')}}`, workerId);
  return renewed[0]?.n ?? 0;
}
