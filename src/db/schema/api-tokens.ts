import { bigserial, index, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const apiTokenScope = pgEnum('api_token_scope', ['inventory', 'admin', 'marketing']);

/**
 * API tokens created in the console (besides the API_TOKENS variable). The token is 32 random bytes
 * shown once at creation; only its sha256 is stored, so a copy of this table cannot be replayed.
 * `prefix` (the first characters of the token) finds the row and lets staff recognise a token in the
 * list without it being a usable secret. A revoked token stays as a row (who made it, when it was
 * last used) and is refused.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    scope: apiTokenScope('scope').notNull(),
    prefix: text('prefix').notNull(),
    /** sha256 of the whole token, hex. */
    tokenHash: text('token_hash').notNull(),
    /** Who created it: the console user's email (or `token:<…>` for an API call). */
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Written at most about once a minute per token (see http/auth.ts), not per request. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_prefix_idx').on(t.prefix)],
);

export type ApiToken = typeof apiTokens.$inferSelect;
