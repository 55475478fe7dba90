import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateSource } from './render.js';

/** `templates/` at the project root; pass it as `createRenderer({ includesDir })` so mj-include resolves. */
export const templatesDir = fileURLToPath(new URL('../../templates', import.meta.url));

/**
 * Reads `templates/<name>.mjml` as a template source. The subject is the template's `<mj-title>`
 * (Handlebars variables allowed), so one file holds everything marketing staff edit.
 */
export async function readTemplateFile(name: string, dir = templatesDir): Promise<TemplateSource> {
  const mjml = await readFile(join(dir, `${name}.mjml`), 'utf8');
  const title = /<mj-title>([\s\S]*?)<\/mj-title>/.exec(mjml)?.[1]?.trim();
  if (!title) throw new Error(`templates/${name}.mjml has no <mj-title> (used as the subject)`);
  return { subject: title, mjml };
}
