import { and, eq, isNull } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { sessions } from '../../db/schema/index.js';
import { hashSessionId } from './session-token.js';

/** Ends a session (logout). Unknown or already revoked ids are fine. Side effects: sets `revoked_at`. */
export async function revokeSession(ctx: Pick<Deps, 'db' | 'clock'>, input: { sessionId: string }): Promise<void> {
  const rawId = input.sessionId;
  await ctx.db
    .update(sessions)
    .set({ revokedAt: ctx.clock.now() })
    .where(and(eq(sessions.idHash, hashSessionId(rawId)), isNull(sessions.revokedAt)));
}
