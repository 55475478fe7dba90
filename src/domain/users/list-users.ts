import { and, asc, count, eq, gt, isNull } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { sessions, users } from '../../db/schema/index.js';
import { toPublicUser, type PublicUser } from './user-input.js';

/** Every console user, oldest first (a handful: no paging), with how many live sessions each has. */
export async function listUsers(
  deps: Pick<Deps, 'db' | 'clock'>,
): Promise<(PublicUser & { activeSessions: number })[]> {
  const live = and(eq(sessions.userId, users.id), isNull(sessions.revokedAt), gt(sessions.expiresAt, deps.clock.now()));
  const rows = await deps.db
    .select({ user: users, activeSessions: count(sessions.idHash) })
    .from(users)
    .leftJoin(sessions, live)
    .groupBy(users.id)
    .orderBy(asc(users.id));
  return rows.map((r) => ({ ...toPublicUser(r.user), activeSessions: Number(r.activeSessions) }));
}
