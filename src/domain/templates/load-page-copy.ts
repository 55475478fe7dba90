import { and, desc, eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { templates } from '../../db/schema/index.js';
import { PAGES_KEY } from './template-versions.js';

/**
 * The hosted pages' copy as published in the console: locale → key → text (the highest published
 * `pages` version per locale). Pages lay this over the shipped catalogue (`layerMessages`), so keys
 * added by a newer deploy still show. One small query; call it per request or cache briefly.
 */
export async function loadPageCopy(deps: Pick<Deps, 'db'>): Promise<Record<string, Record<string, string>>> {
  const found = await deps.db
    .selectDistinctOn([templates.locale], { locale: templates.locale, messages: templates.messages })
    .from(templates)
    .where(and(eq(templates.key, PAGES_KEY), eq(templates.status, 'published')))
    .orderBy(templates.locale, desc(templates.version));
  return Object.fromEntries(
    found.filter((r) => r.messages).map((r) => [r.locale, r.messages as Record<string, string>]),
  );
}
