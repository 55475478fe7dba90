import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { AppError } from '../errors.js';
import type { Db } from './client.js';

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one (drizzle's nested
 * `transaction()` would open a savepoint; we want one unit of work). Pass the returned `tx` on —
 * on PGlite the outer handle blocks until the transaction ends.
 *
 * No acknowledged write is lost (issue 21): a transaction aborted behind the caller's back answers
 * COMMIT with the command tag ROLLBACK, and that tag is checked. Then this throws `NOT_READY` (503,
 * logged with its cause by the HTTP layer; a job logs its own failure) and nothing is acknowledged.
 * - PostgreSQL: postgres.js's `sql.begin` discards COMMIT's answer, and hands its connection back to
 *   the pool as soon as a ReadyForQuery says "idle" — behind PgBouncer in transaction pooling, with a
 *   retried prepared statement (`retryRoutines` in its connection.js), the rest of the transaction then
 *   ran where nobody committed it. So the transaction runs here on a reserved connection: BEGIN, `fn`,
 *   COMMIT, and COMMIT's tag and backend are read (a connection that was replaced mid-transaction —
 *   the backend died and postgres.js reconnected — is refused too).
 * - PGlite checks the tag itself and throws code 25P02 "Transaction was rolled back instead of committed".
 */
export async function withTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (isTransaction(db)) return fn(db);
  const pool = postgresPool(db);
  try {
    if (pool) return await reservedTransaction(db, pool, fn);
    return await db.transaction((tx) => fn(tx as unknown as Db));
  } catch (err) {
    if (err instanceof CommitRolledBack || isPgliteRolledBackCommit(err)) {
      throw new AppError(
        'NOT_READY',
        'The database rolled the change back instead of committing it; nothing was saved. Try again.',
        { cause: err },
      );
    }
    throw err;
  }
}

/** COMMIT was answered with another command tag (ROLLBACK), or on another session than BEGIN: nothing was written. */
class CommitRolledBack extends Error {
  constructor(readonly command: string | undefined) {
    super(`COMMIT answered ${command ?? '(no command tag)'}: the transaction had been aborted and was not committed`);
    this.name = 'CommitRolledBack';
  }
}

type Reserved = postgres.ReservedSql;
type Backend = { pid?: number; secret?: number } | undefined;

async function reservedTransaction<T>(db: Db, pool: postgres.Sql, fn: (tx: Db) => Promise<T>): Promise<T> {
  const conn: Reserved = await pool.reserve();
  // As `sql.begin` does: take hold of the connection (postgres.js's `onexecute` hook) to hear when it
  // closes — a query sent on it afterwards would wait forever — and then neither ROLLBACK nor release it.
  let connection: Connection | undefined;
  let closed = false;
  let begin: Promise<postgres.RowList<postgres.Row[]>> | undefined;
  const lost = new Promise<never>((_, reject) => {
    const onexecute = (c: Connection) => {
      connection = c;
      c.onclose = (e) => {
        closed = true;
        reject(e);
      };
      return true;
    };
    begin = conn.unsafe('begin', [], { onexecute } as never);
  });
  lost.catch(() => undefined);
  try {
    const begun = await Promise.race([begin!, lost]);
    const session = (db as unknown as { session: { schema: unknown; options: unknown } }).session;
    const dialect = (db as unknown as { dialect: unknown }).dialect;
    const s = new PostgresJsSession(conn as never, dialect as never, session.schema as never, session.options as never);
    const tx = new PostgresJsTransaction(dialect as never, s, session.schema as never) as unknown as Db;
    let result: T;
    try {
      result = await Promise.race([fn(tx), lost]);
    } catch (err) {
      if (!closed) await conn.unsafe('rollback').catch(() => undefined);
      throw err;
    }
    const done = await Promise.race([conn.unsafe('commit'), lost]);
    if (done.command !== 'COMMIT') throw new CommitRolledBack(done.command);
    if (!sameBackend(backendOf(begun), backendOf(done))) throw new CommitRolledBack('COMMIT on a new connection');
    return result;
  } finally {
    if (connection) connection.onclose = null;
    // A closed connection is already back in the pool's closed list (it reconnects on demand).
    if (!closed) conn.release();
  }
}

type Connection = { onclose?: ((e: unknown) => void) | null };
const backendOf = (r: unknown): Backend => (r as { state?: Backend }).state;
const sameBackend = (a: Backend, b: Backend) => !a || !b || (a.pid === b.pid && a.secret === b.secret);

function isTransaction(db: Db): boolean {
  // drizzle's PgTransaction has `rollback()`; the root database handle does not.
  return typeof (db as unknown as { rollback?: unknown }).rollback === 'function';
}

/** The postgres.js pool under a root handle (it has `reserve`); undefined on PGlite. */
function postgresPool(db: Db): postgres.Sql | undefined {
  const client = (db as unknown as { $client?: { reserve?: unknown } }).$client;
  return typeof client?.reserve === 'function' ? (client as postgres.Sql) : undefined;
}

function isPgliteRolledBackCommit(err: unknown): boolean {
  const e = err as { code?: unknown; query?: unknown } | null;
  return e?.code === '25P02' && e.query === 'COMMIT';
}
