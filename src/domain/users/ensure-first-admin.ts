import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { rows } from '../../db/client.js';
import { users } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { hashPassword } from './password.js';

export type FirstAdminOutcome = 'created' | 'users-exist' | 'not-configured';

/**
 * Creates the first admin from ADMIN_EMAIL + ADMIN_PASSWORD when the `users` table is empty; later
 * starts leave users alone (changing the variables never resets a password). An advisory lock keeps
 * two instances starting together from both creating one.
 * Side effects: may insert one `users` row.
 */
export async function ensureFirstAdmin(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<FirstAdminOutcome> {
  const { email, password } = deps.config.admin;
  if (!email || !password) {
    const [any] = await deps.db.select({ id: users.id }).from(users).limit(1);
    return any ? 'users-exist' : 'not-configured';
  }
  const passwordHash = await hashPassword(password);
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    await rows(tx, sql`select pg_advisory_xact_lock(72616006)`);
    const [any] = await tx.select({ id: users.id }).from(users).limit(1);
    if (any) return 'users-exist';
    await tx
      .insert(users)
      .values({ email: email.toLowerCase(), passwordHash, role: 'admin', createdAt: now, updatedAt: now });
    return 'created';
  });
}
