import { asc } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { users } from '../../db/schema/index.js';
import { toPublicUser, type PublicUser } from './user-input.js';

/** Every console user, oldest first (a handful: no paging). */
export async function listUsers(deps: Pick<Deps, 'db'>): Promise<PublicUser[]> {
  const rows = await deps.db.select().from(users).orderBy(asc(users.id));
  return rows.map(toPublicUser);
}
