import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { rows } from '../../db/client.js';
import { withTx } from '../../db/transaction.js';
import { templatesDir } from '../../mail/template-file.js';
import { PAGES_KEY } from './template-versions.js';

const Catalogue = z.record(z.string(), z.string());

export type PageCopySeed = { locale: string; version?: number; outcome: 'unchanged' | 'published' | 'draft' };

/**
 * Seeds the hosted pages' copy (`templates/pages/<locale>.json`, flat key → text) into `templates`
 * under key `pages`, one version per locale, by the same rule as the emails (seed-templates.ts): same
 * content → nothing; new content → a published version, or only a draft when the current published
 * version was made in the console (a deploy never overrides what marketing staff published).
 * A missing directory seeds nothing. Side effects: inserts `templates` rows (one transaction, advisory lock).
 * @throws Error naming the file when a catalogue is not a flat object of strings.
 */
export async function seedPageCopy(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { dir?: string } = {},
): Promise<PageCopySeed[]> {
  const dir = input.dir ?? join(templatesDir, 'pages');
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((n) => /^[a-z]{2,3}(-[a-z0-9]{2,8})*\.json$/i.test(n))
    .sort();
  const files: { locale: string; messages: Record<string, string>; hash: string }[] = [];
  for (const name of names) {
    const parsed = Catalogue.safeParse(JSON.parse(await readFile(join(dir, name), 'utf8')));
    if (!parsed.success) throw new Error(`templates/pages/${name}: must be one flat object of strings`);
    const messages = Object.fromEntries(Object.entries(parsed.data).sort(([a], [b]) => a.localeCompare(b)));
    files.push({
      locale: name.slice(0, -5).toLowerCase(),
      messages,
      hash: createHash('sha256').update(JSON.stringify(messages)).digest('hex'),
    });
  }
  const now = deps.clock.now().toISOString();
  const results: PageCopySeed[] = [];
  await withTx(deps.db, async (tx) => {
    await rows(tx, sql`select pg_advisory_xact_lock(72616005)`);
    for (const f of files) {
      const versions = await rows<{ version: number; status: string; source: string; source_hash: string | null }>(
        tx,
        sql`select version, status, source, source_hash from templates where key = ${PAGES_KEY} and locale = ${f.locale} order by version desc`,
      );
      if (versions.some((v) => v.source_hash === f.hash)) {
        results.push({ locale: f.locale, outcome: 'unchanged' });
        continue;
      }
      const status = versions.find((v) => v.status === 'published')?.source === 'console' ? 'draft' : 'published';
      const version = (versions[0]?.version ?? 0) + 1;
      await rows(
        tx,
        sql`insert into templates (key, locale, version, subject, mjml, messages, status, source, source_hash, created_at, published_at)
            values (${PAGES_KEY}, ${f.locale}, ${version}, '', '', ${JSON.stringify(f.messages)}::jsonb, ${status}, 'file', ${f.hash},
                    ${now}::timestamptz, ${status === 'published' ? now : null}::timestamptz)
            on conflict (key, locale, version) do nothing`,
      );
      results.push({ locale: f.locale, version, outcome: status });
    }
  });
  return results;
}
