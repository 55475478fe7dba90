import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { rows } from '../../db/client.js';
import { defaultLocale } from '../../mail/template-file.js';
import { PAGES_KEY } from './template-versions.js';

export type TemplateSummary = {
  key: string;
  locale: string;
  kind: 'email' | 'pages';
  publishedVersion: number | null;
  /** Set when the newest version is a draft not yet published. */
  draftVersion: number | null;
  updatedAt: string | null;
  updatedBy: string | null;
  /** Locale without versions of its own: recipients get this one (the default locale, `en`). */
  fallbackLocale?: string;
};

type Row = {
  key: string;
  locale: string;
  published: number | null;
  newest: number;
  newest_status: string;
  updated_at: Date | string;
  updated_by: string | null;
};

/**
 * Every email and page catalogue × locale with its status. A locale that exists for some template
 * is listed for every template (without versions: `fallbackLocale` says what is sent instead), so
 * the console can offer "create the German version".
 */
export async function listTemplates(deps: Pick<Deps, 'db'>): Promise<TemplateSummary[]> {
  const found = await rows<Row>(
    deps.db,
    sql`select t.key, t.locale,
          max(t.version) filter (where t.status = 'published') as published,
          max(t.version) as newest,
          (array_agg(t.status::text order by t.version desc))[1] as newest_status,
          (array_agg(coalesce(t.updated_at, t.published_at, t.created_at) order by t.version desc))[1] as updated_at,
          (array_agg(coalesce(t.published_by, t.created_by) order by t.version desc))[1] as updated_by
        from templates t group by t.key, t.locale order by t.key, t.locale`,
  );
  const out: TemplateSummary[] = found.map((r) => ({
    key: r.key,
    locale: r.locale,
    kind: r.key === PAGES_KEY ? 'pages' : 'email',
    publishedVersion: r.published === null ? null : Number(r.published),
    draftVersion: r.newest_status === 'draft' ? Number(r.newest) : null,
    updatedAt: new Date(r.updated_at).toISOString(),
    updatedBy: r.updated_by,
  }));
  const have = new Set(out.map((t) => `${t.key}|${t.locale}`));
  const emailLocales = new Set(out.filter((t) => t.kind === 'email').map((t) => t.locale));
  for (const key of new Set(out.filter((t) => t.kind === 'email').map((t) => t.key))) {
    for (const locale of emailLocales) {
      if (!have.has(`${key}|${locale}`)) {
        out.push({
          key,
          locale,
          kind: 'email',
          publishedVersion: null,
          draftVersion: null,
          updatedAt: null,
          updatedBy: null,
          fallbackLocale: defaultLocale,
        });
      }
    }
  }
  return out.sort((a, b) =>
    a.kind === b.kind ? a.key.localeCompare(b.key) || a.locale.localeCompare(b.locale) : a.kind === 'email' ? -1 : 1,
  );
}
