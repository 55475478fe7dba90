import type { Db } from './client.js';

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one (drizzle's nested
 * `transaction()` would open a savepoint; we want one unit of work). Pass the returned `tx` on —
 * on PGlite the outer handle blocks until the transaction ends.
 */
export async function withTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (isTransaction(db)) return fn(db);
  return db.transaction((tx) => fn(tx as unknown as Db));
}

function isTransaction(db: Db): boolean {
  // drizzle's PgTransaction has `rollback()`; the root database handle does not.
  return typeof (db as unknown as { rollback?: unknown }).rollback === 'function';
}
