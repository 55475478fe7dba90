import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { timingSafeEqual } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { apiTokens } from '../../db/schema/index.js';
import type { Scope } from '../../config.js';
import { hashApiToken, looksLikeApiToken, prefixOf } from './token-secret.js';

export type KnownApiToken = { id: number; name: string; scope: Scope; revoked: boolean; lastUsedAt: Date | null };

/**
 * The console-made token a bearer value is, or undefined. The prefix finds the candidate rows (an
 * index); the sha256 digests are then compared with `timingSafeEqual`, so the time taken does not
 * say how much of a guess was right. A revoked token is answered (`revoked: true`) so the caller can
 * refuse it. Reads only.
 */
export async function findApiToken(
  ctx: Pick<Deps, 'db'>,
  input: { token: string },
): Promise<KnownApiToken | undefined> {
  const presented = input.token;
  if (!looksLikeApiToken(presented)) return undefined;
  const candidates = await ctx.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scope: apiTokens.scope,
      tokenHash: apiTokens.tokenHash,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.prefix, prefixOf(presented)));
  const digest = Buffer.from(hashApiToken(presented), 'hex');
  let found: KnownApiToken | undefined;
  for (const c of candidates) {
    const stored = Buffer.from(c.tokenHash, 'hex');
    if (stored.length === digest.length && timingSafeEqual(stored, digest)) {
      found = { id: c.id, name: c.name, scope: c.scope, revoked: c.revokedAt !== null, lastUsedAt: c.lastUsedAt };
    }
  }
  return found;
}

/**
 * Sets `last_used_at` unless it was set less than `everyMs` ago — the condition is in the statement,
 * so several instances together still write at most about once per interval.
 * Side effects: may update one `api_tokens` row.
 */
export async function touchApiToken(
  ctx: Pick<Deps, 'db' | 'clock'>,
  input: { id: number; everyMs: number },
): Promise<void> {
  const { id, everyMs } = input;
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - everyMs);
  await ctx.db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, cutoff))));
}

/** Whether any console-made token is live (for the "no tokens configured" message). */
export async function anyLiveApiToken(ctx: Pick<Deps, 'db'>): Promise<boolean> {
  const [row] = await ctx.db
    .select({ one: sql<number>`1` })
    .from(apiTokens)
    .where(isNull(apiTokens.revokedAt))
    .limit(1);
  return row !== undefined;
}
