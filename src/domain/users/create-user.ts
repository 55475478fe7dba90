import type { Deps } from '../../deps.js';
import { users } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { parseOrThrow } from '../validation/parse.js';
import { hashPassword } from './password.js';
import { generatePassword, NewUserInput, toPublicUser, type PublicUser } from './user-input.js';

/**
 * Creates a console user with a scrypt-hashed password. Without a password in the input one is
 * generated and answered as `password` — the only time it exists outside the hash.
 * Side effects: inserts one `users` row.
 * @throws AppError VALIDATION (bad email/password/role), CONFLICT (the email already has a user).
 */
export async function createUser(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: unknown,
): Promise<PublicUser & { password?: string }> {
  const { email, password: given, role } = parseOrThrow(NewUserInput, input, 'The user is not valid.');
  const password = given ?? generatePassword();
  const now = deps.clock.now();
  const [row] = await deps.db
    .insert(users)
    .values({ email, passwordHash: await hashPassword(password), role, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!row) throw new AppError('CONFLICT', 'A user with this email already exists.');
  return { ...toPublicUser(row), ...(given ? {} : { password }) };
}
