import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import { rows, type Db } from '../db/client.js';
import type { Logger } from '../log.js';
import type { Metrics } from './metrics.js';

const waitingStates = ['queued', 'retry', 'sending'] as const;
const priorities = ['0', '1'] as const;

/**
 * Refreshes the ledger gauges from the database, at scrape time (every instance reports the same
 * shared ledger; Grafana should take max() over instances, not sum()). Two cheap statements: both read
 * only rows in the partial due index (`status in (queued, retry, sending)`), never finished rows.
 * A failing database leaves the previous values and sets `restock_database_up` 0, so a scrape never fails.
 */
export async function refreshLedgerGauges(
  metrics: Metrics,
  deps: { db: Db; clock: Clock; log: Logger },
): Promise<void> {
  const now = deps.clock.now().toISOString();
  try {
    const depth = await rows<{ state: string; priority: number; n: number }>(
      deps.db,
      sql`select status::text as state, priority, count(*)::int as n from deliveries
          where status in ('queued', 'retry', 'sending') group by 1, 2`,
    );
    const overdue = await rows<{ priority: number; age: number | string | null }>(
      deps.db,
      sql`select priority, extract(epoch from (${now}::timestamptz - min(next_attempt_at)))::float8 as age from deliveries
          where status in ('queued', 'retry') and next_attempt_at <= ${now}::timestamptz group by priority`,
    );
    for (const state of waitingStates)
      for (const priority of priorities) metrics.ledgerDepth.set({ state, priority }, 0);
    for (const r of depth) metrics.ledgerDepth.set({ state: r.state, priority: String(r.priority) }, Number(r.n));
    for (const priority of priorities) metrics.ledgerOldestDueAge.set({ priority }, 0);
    for (const r of overdue)
      metrics.ledgerOldestDueAge.set({ priority: String(r.priority) }, Math.max(0, Number(r.age ?? 0)));
    metrics.databaseUp.set(1);
  } catch (err) {
    metrics.databaseUp.set(0);
    deps.log.warn({ err }, 'metrics: ledger gauges not refreshed');
  }
}
