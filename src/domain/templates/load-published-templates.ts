import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { defaultLocale } from '../../mail/template-file.js';

export type PublishedTemplate = {
  id: number;
  key: string;
  locale: string;
  version: number;
  subject: string;
  mjml: string;
};

/** The version in use per (key, locale): the highest published one. */
export type PublishedTemplates = Map<string, PublishedTemplate>;

/** Loads the current published version of every template (one small query; the sender calls it per pass). */
export async function loadPublishedTemplates(deps: Pick<Deps, 'db'>): Promise<PublishedTemplates> {
  const found = await rows<PublishedTemplate>(
    deps.db,
    sql`select distinct on (key, locale) id, key, locale, version, subject, mjml
        from templates where status = 'published' order by key, locale, version desc`,
  );
  return new Map(found.map((r) => [`${r.key}|${r.locale}`, r]));
}

/**
 * Exact locale (`de-AT`), then its language (`de`), then the default locale (`en`), then `default`
 * (the locale English was stored under before translations shipped; kept so an old database still
 * sends). The sender formats dates with the *picked* template's `locale`, not the recipient's.
 */
export function pickTemplate(
  templates: PublishedTemplates,
  key: string,
  locale: string | null | undefined,
): PublishedTemplate | undefined {
  const candidates = [];
  if (locale) {
    candidates.push(locale);
    const lang = locale.split('-')[0];
    if (lang && lang !== locale) candidates.push(lang);
  }
  candidates.push(defaultLocale, 'default');
  for (const c of candidates) {
    const t = templates.get(`${key}|${c}`);
    if (t) return t;
  }
  return undefined;
}
