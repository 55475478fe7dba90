import { and, eq, isNull } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { sessions } from '../../db/schema/index.js';
import { hashSessionId } from './session-token.js';

/** Ends a session (logout). Unknown or already revoked ids are fine. Side effects: sets `revoked_at`. */
export async function revokeSession(deps: Pick<Deps, 'db' | 'clock'>, rawId: string): Promise<void> {
  await deps.db
    .update(sessions)
    .set({ revokedAt: deps.clock.now() })
    .where(and(eq(sessions.idHash, hashSessionId(rawId)), isNull(sessions.revokedAt)));
}
