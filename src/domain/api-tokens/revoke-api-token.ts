import { and, eq, isNull } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { apiTokens } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { toPublicApiToken, type PublicApiToken } from './api-token-input.js';

/**
 * Revokes a token: from the next request on it is refused (401) on every instance — the bearer
 * check reads the row, it does not cache it. Revoking a revoked token answers it unchanged.
 * Side effects: sets `revoked_at`.
 * @throws AppError NOT_FOUND.
 */
export async function revokeApiToken(ctx: Pick<Deps, 'db' | 'clock'>, input: { id: number }): Promise<PublicApiToken> {
  const { id } = input;
  const [row] = await ctx.db
    .update(apiTokens)
    .set({ revokedAt: ctx.clock.now() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning();
  if (row) return toPublicApiToken(row);
  const [existing] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
  if (!existing) throw new AppError('NOT_FOUND', `No API token with id ${id}.`);
  return toPublicApiToken(existing);
}
