import { sql, type SQL } from 'drizzle-orm';
import { preparedRows, type Db } from './client.js';

/**
 * Cross-process wake-ups over PostgreSQL's LISTEN/NOTIFY (PGlite implements it in-process), so a
 * web process's write is acted on by the workers within milliseconds instead of at the next cron
 * tick. A NOTIFY issued inside a transaction is delivered only when it commits, so a woken worker
 * always sees the rows that woke it; a rolled-back write wakes nobody.
 * Topics are hints, never data: a lost notification only delays work until the cron safety net.
 */
export const WAKE_CHANNEL = 'restock_notifier_wake';

/**
 * - `inventory`: an inventory event was appended (the restock scan has work);
 * - `transactional`: a transactional delivery (a confirmation) was queued;
 * - `deliveries`: bulk deliveries are due to be planned or sent (a restock or ETA event was recorded).
 */
export type WakeTopic = 'inventory' | 'transactional' | 'deliveries';
export const wakeTopics: readonly WakeTopic[] = ['inventory', 'transactional', 'deliveries'];

/** The NOTIFY as a statement; run it on the transaction whose commit should wake the workers. */
export function wakeSql(topic: WakeTopic): SQL {
  return sql`select pg_notify(${WAKE_CHANNEL}, ${topic})`;
}

/** Sends a wake-up on `db` (inside a transaction: delivered at its commit). */
export async function publishWake(db: Db, topic: WakeTopic): Promise<void> {
  await preparedRows(db, wakeSql(topic));
}
