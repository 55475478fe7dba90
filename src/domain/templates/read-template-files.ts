import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { defaultLocale, templatesDir } from '../../mail/template-file.js';

export type TemplateFile = {
  key: string;
  locale: string;
  subject: string;
  /** MJML with every `<mj-include>` of a partial expanded: a stored version is self-contained. */
  mjml: string;
  variables: Record<string, { description: string; example?: unknown }>;
  /** sha256 of subject + expanded MJML + variables: a changed partial changes every template using it. */
  hash: string;
};

const includeTag = /<mj-include\s+path="([^"]+)"\s*\/>/g;

/**
 * Reads `templates/<key>.mjml` (the default locale, `en`) and `templates/<key>.<locale>.mjml` (e.g.
 * `back-in-stock.de.mjml`): one row per key × locale. Each has an optional `<key>[.<locale>].json`
 * declaring its variables (a translation without its own falls back to `<key>.json`). The subject is
 * the `<mj-title>`. A translation includes its locale's partials by path (`partials/footer.de.mjml`).
 * Partials (`<mj-include path="partials/x.mjml" />`) are expanded here rather than by MJML at compile
 * time: mjml 5 ignores includes unless told otherwise, and an expanded version renders the same
 * forever, so a rollback restores exactly what was sent.
 * @throws Error naming the file when a template has no `<mj-title>` or a partial is missing.
 */
export async function readTemplateFiles(dir = templatesDir): Promise<TemplateFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.mjml')).sort();
  const files: TemplateFile[] = [];
  for (const name of names) {
    const match = /^([a-z0-9-]+)(?:\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*))?\.mjml$/.exec(name);
    if (!match?.[1]) continue;
    const key = match[1];
    const locale = match[2] ?? defaultLocale;
    const raw = await readFile(join(dir, name), 'utf8');
    const mjml = await expandPartials(raw, dir, name);
    const subject = /<mj-title>([\s\S]*?)<\/mj-title>/.exec(mjml)?.[1]?.trim();
    if (!subject) throw new Error(`templates/${name} has no <mj-title> (it is the subject line)`);
    const variables = await readVariables(dir, key, locale);
    const hash = createHash('sha256')
      .update(subject)
      .update('\0')
      .update(mjml)
      .update('\0')
      .update(JSON.stringify(variables))
      .digest('hex');
    files.push({ key, locale, subject, mjml, variables, hash });
  }
  return files;
}

async function expandPartials(mjml: string, dir: string, from: string, depth = 0): Promise<string> {
  if (depth > 5) throw new Error(`templates/${from}: partials nested too deeply`);
  let out = '';
  let last = 0;
  for (const m of mjml.matchAll(includeTag)) {
    const rel = normalize(m[1] ?? '');
    if (rel.startsWith('..') || rel.startsWith(sep))
      throw new Error(`templates/${from}: include outside templates/: ${m[1]}`);
    const partial = await readFile(join(dir, rel), 'utf8').catch(() => {
      throw new Error(`templates/${from}: partial ${m[1]} not found`);
    });
    out += mjml.slice(last, m.index) + (await expandPartials(stripWrapper(partial).trim(), dir, rel, depth + 1));
    last = (m.index ?? 0) + m[0].length;
  }
  return out + mjml.slice(last);
}

/** A partial may be written as a full `<mjml><mj-body>…` document so editors can preview it alone. */
function stripWrapper(partial: string): string {
  const body = /<mj-body[^>]*>([\s\S]*)<\/mj-body>/.exec(partial);
  return body?.[1] ?? partial;
}

async function readVariables(dir: string, key: string, locale: string): Promise<TemplateFile['variables']> {
  for (const name of locale === defaultLocale ? [`${key}.json`] : [`${key}.${locale}.json`, `${key}.json`]) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (text !== undefined) return (JSON.parse(text) as { variables?: TemplateFile['variables'] }).variables ?? {};
  }
  return {};
}
