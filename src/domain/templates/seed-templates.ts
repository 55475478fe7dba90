import { sql } from 'drizzle-orm';
import { rows as query } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { isAppError } from '../../errors.js';
import type { Renderer } from '../../mail/render.js';
import { withTx } from '../../db/transaction.js';
import { readTemplateFiles, type TemplateFile } from './read-template-files.js';

export type SeedResult = {
  key: string;
  locale: string;
  version?: number;
  outcome: 'unchanged' | 'published' | 'draft' | 'invalid';
};

/**
 * Seeds `templates` from the files in templates/ (every key × locale, see readTemplateFiles), idempotently:
 * - content already seeded once (same hash, any version) → nothing;
 * - new content and the current published version came from a file (or there is none) → a new
 *   published version;
 * - new content but the current published version was made in the console → a new *draft*: a deploy
 *   never overrides what marketing staff published; they see the draft and may publish it.
 * Invalid MJML is logged with its line numbers and not stored.
 * Side effects: inserts template rows (one transaction, serialized across instances by an advisory lock).
 */
export async function seedTemplates(
  deps: Pick<Deps, 'db' | 'clock' | 'log'> & { renderer: Renderer },
  input: { files?: TemplateFile[] } = {},
): Promise<SeedResult[]> {
  const { renderer } = deps;
  const all = input.files ?? (await readTemplateFiles());
  const valid: TemplateFile[] = [];
  const results: SeedResult[] = [];
  for (const f of all) {
    try {
      await renderer.compile({ subject: f.subject, mjml: f.mjml });
      valid.push(f);
    } catch (err) {
      if (!isAppError(err)) throw err;
      deps.log.error(
        { template: f.key, locale: f.locale, problems: err.details },
        'template file has invalid MJML; not published',
      );
      results.push({ key: f.key, locale: f.locale, outcome: 'invalid' });
    }
  }
  const now = deps.clock.now();
  await withTx(deps.db, async (tx) => {
    await query(tx, sql`select pg_advisory_xact_lock(72616005)`);
    for (const f of valid) {
      const rows = await query<{ version: number; status: string; source: string; source_hash: string | null }>(
        tx,
        sql`select version, status, source, source_hash from templates where key = ${f.key} and locale = ${f.locale} order by version desc`,
      );
      if (rows.some((r) => r.source_hash === f.hash)) {
        results.push({ key: f.key, locale: f.locale, outcome: 'unchanged' });
        continue;
      }
      const current = rows.find((r) => r.status === 'published');
      const status = current?.source === 'console' ? 'draft' : 'published';
      const version = (rows[0]?.version ?? 0) + 1;
      await query(
        tx,
        sql`insert into templates (key, locale, version, subject, mjml, variables, status, source, source_hash, created_at, published_at)
            values (${f.key}, ${f.locale}, ${version}, ${f.subject}, ${f.mjml}, ${JSON.stringify(f.variables)}::jsonb,
                    ${status}, 'file', ${f.hash}, ${now.toISOString()}::timestamptz,
                    ${status === 'published' ? now.toISOString() : null}::timestamptz)
            on conflict (key, locale, version) do nothing`,
      );
      results.push({ key: f.key, locale: f.locale, version, outcome: status });
    }
  });
  return results;
}
