import { and, eq, isNull } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { sessions, users } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import { hashPassword } from './password.js';
import { UserPatch, toPublicUser, type PublicUser } from './user-input.js';

/**
 * Changes a user's role, disabled flag or password. Disabling a user or changing their password
 * revokes every session they have (a stolen cookie stops working at once).
 * Refuses to leave the service without an enabled admin.
 * @throws AppError VALIDATION, NOT_FOUND, CONFLICT (the last enabled admin would be lost).
 */
export async function updateUser(deps: Pick<Deps, 'db' | 'clock'>, id: number, input: unknown): Promise<PublicUser> {
  const parsed = UserPatch.safeParse(input);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The change is not valid.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const patch = parsed.data;
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const [current] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!current) throw new AppError('NOT_FOUND', `No user with id ${id}.`);
    const losesAdmin = current.role === 'admin' && !current.disabled && (patch.disabled === true || (patch.role && patch.role !== 'admin'));
    if (losesAdmin) {
      const admins = await tx.select({ id: users.id }).from(users).where(and(eq(users.role, 'admin'), eq(users.disabled, false)));
      if (admins.length <= 1) throw new AppError('CONFLICT', 'This is the last enabled admin; make another admin first.');
    }
    const [row] = await tx
      .update(users)
      .set({
        ...(patch.role ? { role: patch.role } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
        ...(passwordHash ? { passwordHash } : {}),
        updatedAt: now,
      })
      .where(eq(users.id, id))
      .returning();
    if (patch.disabled === true || passwordHash) {
      await tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, id), isNull(sessions.revokedAt)));
    }
    return toPublicUser(row ?? current);
  });
}
