import { count, desc, eq, ilike } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { suppressions } from '../../db/schema/index.js';

export type SuppressionView = { email: string; reason: string; createdAt: string };

/** Suppressed addresses, newest first; `q` filters by a part of the address. */
export async function listSuppressions(
  deps: Pick<Deps, 'db'>,
  options: { q?: string; reason?: string; limit: number; offset: number },
): Promise<{ total: number; suppressions: SuppressionView[] }> {
  const where = options.q
    ? ilike(suppressions.email, `%${options.q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)
    : options.reason
      ? eq(suppressions.reason, options.reason)
      : undefined;
  const [total] = await deps.db.select({ n: count() }).from(suppressions).where(where);
  const found = await deps.db
    .select()
    .from(suppressions)
    .where(where)
    .orderBy(desc(suppressions.createdAt), suppressions.email)
    .limit(options.limit)
    .offset(options.offset);
  return {
    total: Number(total?.n ?? 0),
    suppressions: found.map((s) => ({ email: s.email, reason: s.reason, createdAt: s.createdAt.toISOString() })),
  };
}
