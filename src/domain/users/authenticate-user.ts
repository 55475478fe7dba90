import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { users } from '../../db/schema/index.js';
import { dummyHashPromise, verifyPassword } from './password.js';
import type { Role } from './user-input.js';

export type Authenticated = { id: number; email: string; role: Role };

let dummy: Promise<string> | undefined;

/**
 * Checks an email + password. Unknown address, wrong password and disabled user all answer
 * `undefined` after the same scrypt work, so neither the answer nor its timing tells which it was.
 * Side effects: sets `last_login_at` on success.
 */
export async function authenticateUser(
  ctx: Pick<Deps, 'db' | 'clock'>,
  input: { email: string; password: string },
): Promise<Authenticated | undefined> {
  const { email, password } = input;
  const [user] = await ctx.db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  // The dummy hash is a constant of the process (derived once from random bytes), not state.
  dummy ??= dummyHashPromise();
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummy));
  if (!user || !ok || user.disabled) return undefined;
  await ctx.db.update(users).set({ lastLoginAt: ctx.clock.now() }).where(eq(users.id, user.id));
  return { id: user.id, email: user.email, role: user.role };
}
