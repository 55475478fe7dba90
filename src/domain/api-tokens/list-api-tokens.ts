import { desc } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { apiTokens } from '../../db/schema/index.js';
import { toPublicApiToken, type PublicApiToken } from './api-token-input.js';

/** Every console-made token, newest first, revoked ones included (a handful: no paging). */
export async function listApiTokens(deps: Pick<Deps, 'db'>): Promise<PublicApiToken[]> {
  const rows = await deps.db.select().from(apiTokens).orderBy(desc(apiTokens.id));
  return rows.map(toPublicApiToken);
}
