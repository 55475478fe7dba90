import { desc } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { appSettingsAudit } from '../../db/schema/index.js';

export type SettingsChange = {
  key: string;
  oldValue: unknown;
  newValue: unknown;
  changedBy: string;
  changedAt: string;
};

/** The latest settings changes, newest first (`null` = the environment default). */
export async function listSettingsChanges(ctx: Pick<Deps, 'db'>, input: { limit: number }): Promise<SettingsChange[]> {
  const rows = await ctx.db
    .select()
    .from(appSettingsAudit)
    .orderBy(desc(appSettingsAudit.changedAt), desc(appSettingsAudit.id))
    .limit(input.limit);
  return rows.map((r) => ({
    key: r.key,
    oldValue: r.oldValue ?? null,
    newValue: r.newValue ?? null,
    changedBy: r.changedBy,
    changedAt: r.changedAt.toISOString(),
  }));
}
