import type { Deps } from '../../deps.js';
import { apiTokens } from '../../db/schema/index.js';
import { parseOrThrow } from '../validation/parse.js';
import { NewApiTokenInput, toPublicApiToken, type PublicApiToken } from './api-token-input.js';
import { hashApiToken, newApiToken, prefixOf } from './token-secret.js';

/**
 * Creates an API token of one scope. The plaintext is in the answer and nowhere else: the row keeps
 * only its sha256 and its prefix, so it can never be shown again.
 * Side effects: inserts one `api_tokens` row.
 * @throws AppError VALIDATION (name, scope).
 */
export async function createApiToken(
  ctx: Pick<Deps, 'db' | 'clock'>,
  input: { fields: unknown; createdBy: string },
): Promise<{ apiToken: PublicApiToken; token: string }> {
  const { createdBy } = input;
  const { name, scope } = parseOrThrow(NewApiTokenInput, input.fields, 'The token is not valid.');
  const token = newApiToken();
  const [row] = await ctx.db
    .insert(apiTokens)
    .values({
      name,
      scope,
      prefix: prefixOf(token),
      tokenHash: hashApiToken(token),
      createdBy,
      createdAt: ctx.clock.now(),
    })
    .returning();
  return { apiToken: toPublicApiToken(row!), token };
}
