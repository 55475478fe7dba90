import { and, eq, lte } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { subscriptions } from '../../db/schema/index.js';

/**
 * Deletes pending signups whose confirmation token has expired: nobody confirmed them within
 * `CONFIRM_TOKEN_TTL_HOURS`, so we keep no address that never consented. Safe to run on several
 * instances at once (a plain DELETE; a row is deleted once).
 * @returns `{ purged }`, the number of rows deleted.
 */
export async function purgeUnconfirmed(deps: Pick<Deps, 'db' | 'clock'>): Promise<{ purged: number }> {
  const deleted = await deps.db
    .delete(subscriptions)
    .where(and(eq(subscriptions.status, 'pending'), lte(subscriptions.confirmExpiresAt, deps.clock.now())))
    .returning({ id: subscriptions.id });
  return { purged: deleted.length };
}
