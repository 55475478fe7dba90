import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { sessions, users } from '../../db/schema/index.js';
import type { Role } from '../users/user-input.js';
import { hashSessionId, SESSION_MAX_MS } from './session-token.js';

export type ActiveSession = {
  idHash: string;
  csrfToken: string;
  expiresAt: Date;
  user: { id: number; email: string; role: Role };
};

/**
 * The live session for a cookie value: not revoked, not expired, user not disabled; else undefined.
 * Sliding expiry: once less than half the idle lifetime is left, it is pushed forward (at most to
 * created + 7 days), so an active editor is not logged out mid-edit and the row is not written per request.
 * Side effects: may update `expires_at` / `last_seen_at`.
 */
export async function resolveSession(
  ctx: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { sessionId: string },
): Promise<ActiveSession | undefined> {
  const rawId = input.sessionId;
  if (!rawId || rawId.length > 100) return undefined;
  const now = ctx.clock.now();
  const idHash = hashSessionId(rawId);
  const [row] = await ctx.db
    .select({ s: sessions, u: { id: users.id, email: users.email, role: users.role } })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.idHash, idHash),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        eq(users.disabled, false),
      ),
    )
    .limit(1);
  if (!row) return undefined;
  const idleMs = ctx.config.admin.sessionHours * 3600_000;
  let expiresAt = row.s.expiresAt;
  if (expiresAt.getTime() - now.getTime() < idleMs / 2) {
    expiresAt = new Date(Math.min(now.getTime() + idleMs, row.s.createdAt.getTime() + SESSION_MAX_MS));
    await ctx.db.update(sessions).set({ expiresAt, lastSeenAt: now }).where(eq(sessions.idHash, idHash));
  }
  return { idHash, csrfToken: row.s.csrfSecret, expiresAt, user: row.u };
}
