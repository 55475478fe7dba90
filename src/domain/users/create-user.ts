import type { Deps } from '../../deps.js';
import { users } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { hashPassword } from './password.js';
import { NewUserInput, toPublicUser, type PublicUser } from './user-input.js';

/**
 * Creates a console user with a scrypt-hashed password.
 * Side effects: inserts one `users` row.
 * @throws AppError VALIDATION (bad email/password/role), CONFLICT (the email already has a user).
 */
export async function createUser(deps: Pick<Deps, 'db' | 'clock'>, input: unknown): Promise<PublicUser> {
  const parsed = NewUserInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The user is not valid.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const { email, password, role } = parsed.data;
  const now = deps.clock.now();
  const [row] = await deps.db
    .insert(users)
    .values({ email, passwordHash: await hashPassword(password), role, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!row) throw new AppError('CONFLICT', 'A user with this email already exists.');
  return toPublicUser(row);
}
