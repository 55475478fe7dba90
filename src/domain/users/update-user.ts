import { and, eq, isNull } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { sessions, users } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import { parseOrThrow } from '../validation/parse.js';
import { hashPassword } from './password.js';
import { generatePassword, UserPatch, toPublicUser, type PublicUser } from './user-input.js';

/**
 * Changes a user's role, disabled flag or password (`password`, or `generatePassword: true` for a
 * random one answered once as `password`). Disabling a user or changing their password revokes every
 * session they have (a stolen cookie stops working at once).
 * Refuses to leave the service without an enabled admin — also when two admins demote each other at
 * the same moment: the enabled admins' rows are locked before they are counted.
 * @throws AppError VALIDATION, NOT_FOUND, CONFLICT (the last enabled admin would be lost).
 */
export async function updateUser(
  ctx: Pick<Deps, 'db' | 'clock'>,
  input: { id: number; changes: unknown },
): Promise<PublicUser & { password?: string }> {
  const { id } = input;
  const patch = parseOrThrow(UserPatch, input.changes, 'The change is not valid.');
  if (patch.password && patch.generatePassword) {
    throw new AppError('VALIDATION', 'Send either `password` or `generatePassword`, not both.', {
      details: [{ path: 'generatePassword', message: 'not with password' }],
    });
  }
  const generated = patch.generatePassword ? generatePassword() : undefined;
  const newPassword = patch.password ?? generated;
  const passwordHash = newPassword ? await hashPassword(newPassword) : undefined;
  const now = ctx.clock.now();
  return withTx(ctx.db, async (tx) => {
    const admins = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.disabled, false)))
      .orderBy(users.id)
      .for('update');
    const [current] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!current) throw new AppError('NOT_FOUND', `No user with id ${id}.`);
    const losesAdmin =
      current.role === 'admin' &&
      !current.disabled &&
      (patch.disabled === true || (patch.role && patch.role !== 'admin'));
    if (losesAdmin && admins.length <= 1) {
      throw new AppError(
        'CONFLICT',
        `${current.email} is the last enabled admin: make another user an admin first, or nobody could manage users and API tokens.`,
      );
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
      await tx
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.userId, id), isNull(sessions.revokedAt)));
    }
    return { ...toPublicUser(row ?? current), ...(generated ? { password: generated } : {}) };
  });
}
