import type { Deps } from '../../deps.js';
import { sessions } from '../../db/schema/index.js';
import { hashSessionId, newCsrfToken, newSessionId } from './session-token.js';

export type NewSession = { id: string; csrfToken: string; expiresAt: Date };

/**
 * Starts a console session for a user who just logged in. Returns the raw id (for the cookie, never
 * stored) and the session's CSRF token.
 * Side effects: inserts one `sessions` row.
 */
export async function createSession(
  ctx: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { userId: number },
): Promise<NewSession> {
  const { userId } = input;
  const id = newSessionId();
  const csrfToken = newCsrfToken();
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.config.admin.sessionHours * 3600_000);
  await ctx.db
    .insert(sessions)
    .values({ idHash: hashSessionId(id), userId, csrfSecret: csrfToken, createdAt: now, expiresAt, lastSeenAt: now });
  return { id, csrfToken, expiresAt };
}
