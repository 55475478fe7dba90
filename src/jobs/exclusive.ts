import { rawClient } from '../db/client.js';
import type { Deps } from '../deps.js';

/** Namespace of our advisory locks (first key); the second key is hashtext(job name). */
const LOCK_NAMESPACE = 72616002;

export type Exclusive<T> = { ran: true; result: T } | { ran: false };

/**
 * Runs `fn` only if no other instance runs the job `name` right now. On PostgreSQL a session
 * advisory lock is taken with pg_try_advisory_lock on a RESERVED connection (a pooled query could
 * land the unlock on another connection and leak the lock); a second instance does not wait, it
 * skips the tick. PGlite is one process with one connection, so there is nobody to exclude.
 * The work itself must still be idempotent (the lock ends with the session if a process dies).
 */
export async function runExclusive<T>(
  deps: Pick<Deps, 'db' | 'config'>,
  name: string,
  fn: () => Promise<T>,
): Promise<Exclusive<T>> {
  const raw = rawClient(deps.db, deps.config.database.kind);
  if (raw.kind === 'pglite') return { ran: true, result: await fn() };
  const conn = await raw.sql.reserve();
  try {
    const [row] = await conn<
      { ok: boolean }[]
    >`select pg_try_advisory_lock(${LOCK_NAMESPACE}, hashtext(${name})) as ok`;
    if (!row?.ok) return { ran: false };
    try {
      return { ran: true, result: await fn() };
    } finally {
      await conn`select pg_advisory_unlock(${LOCK_NAMESPACE}, hashtext(${name}))`;
    }
  } finally {
    conn.release();
  }
}
