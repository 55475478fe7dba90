import type { Logger } from '../log.js';

/**
 * postgres.js 3.4.9 (the latest release) throws an uncatchable TypeError from a `setImmediate` when a
 * backend dies while a transaction (`sql.begin`) is in flight: its own ROLLBACK is written to the
 * socket that `closed()` has already set to null (porsager/postgres#1208 and #1133; the fix proposed
 * in PR #1155 is unreleased). By then the transaction has rejected with CONNECTION_CLOSED, which our
 * callers handle (the work is retried or the request answers 503), and the pool reconnects: the only
 * harm is that Node would end the process for it.
 *
 * This handler swallows exactly those errors and logs one warning: a TypeError reading `write` of
 * null thrown from postgres.js's `nextWrite`, and — the same race seen the other way round — the
 * CONNECTION_CLOSED error that `closed()` in its `connection.js` creates, left as a rejection nobody
 * awaits (every query that was waiting has already been rejected with its own error). Any other uncaught
 * exception (or unhandled rejection, which Node 20 raises here too) keeps Node's default: the error
 * is printed and the process exits with code 1. Installed once per process by the service entry
 * point; returns a function that removes it.
 */
export function guardPostgresJsNullWrite(log: Pick<Logger, 'warn'>): () => void {
  const handler = (err: unknown): void => {
    if (isPostgresJsConnectionRace(err)) {
      log.warn(
        { issue: 'porsager/postgres#1208' },
        'a database connection closed during a transaction; the transaction was rolled back and the pool reconnects',
      );
      return;
    }
    process.off('uncaughtException', handler);
    console.error(err);
    process.exit(1);
  };
  process.on('uncaughtException', handler);
  return () => process.off('uncaughtException', handler);
}

const FROM_POSTGRES_JS = /[\\/]postgres[\\/](?:cjs[\\/])?src[\\/]connection\.js/;

export function isPostgresJsConnectionRace(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const stack = err.stack ?? '';
  if (!FROM_POSTGRES_JS.test(stack)) return false;
  if (err instanceof TypeError) return /of null \(reading 'write'\)/.test(err.message) && /\bnextWrite\b/.test(stack);
  return (err as { code?: unknown }).code === 'CONNECTION_CLOSED';
}
