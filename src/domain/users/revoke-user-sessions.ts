import { and, eq, isNull } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { sessions, users } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/**
 * Logs a user out everywhere: every live session of theirs is revoked (their next request goes to the
 * login page). The user stays enabled and may log in again. Answers how many sessions ended.
 * Side effects: sets `revoked_at` on the user's sessions.
 * @throws AppError NOT_FOUND.
 */
export async function revokeUserSessions(
  ctx: Pick<Deps, 'db' | 'clock'>,
  input: { userId: number },
): Promise<{ revoked: number }> {
  const { userId } = input;
  const [user] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new AppError('NOT_FOUND', `No user with id ${userId}.`);
  const ended = await ctx.db
    .update(sessions)
    .set({ revokedAt: ctx.clock.now() })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ idHash: sessions.idHash });
  return { revoked: ended.length };
}
