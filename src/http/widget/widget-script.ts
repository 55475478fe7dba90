import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { templatesDir } from '../../mail/template-file.js';

/** The widget's shopper-facing strings: the `widget` section of templates/pages/<locale>.json. */
export const widgetStringKeys = [
  'notifyMe', 'emailLabel', 'submit', 'sending', 'expectedBack', 'orderNow', 'orderNowNoDate', 'consent',
  'pending', 'active', 'invalidEmail', 'inStock', 'rateLimited', 'error',
] as const;
export type WidgetStrings = Record<(typeof widgetStringKeys)[number], string>;

export type WidgetScript = { body: string; gzip: Buffer; etag: string };

const clientFile = fileURLToPath(new URL('./widget-client.js', import.meta.url));
const placeholder = '/*STRINGS*/ { en: {} }';

/**
 * Reads every locale's `widget` strings; a key a locale lacks falls back to English, so a half-done
 * translation never shows a blank button. @throws Error when English itself lacks a key.
 */
export async function readWidgetStrings(dir = join(templatesDir, 'pages')): Promise<Record<string, WidgetStrings>> {
  const names = (await readdir(dir)).filter((n) => /^[a-z]{2,3}\.json$/.test(n)).sort();
  const out: Record<string, Partial<WidgetStrings>> = {};
  for (const name of names) {
    const catalogue = JSON.parse(await readFile(join(dir, name), 'utf8')) as { widget?: Partial<WidgetStrings> };
    if (catalogue.widget) out[name.slice(0, -'.json'.length)] = catalogue.widget;
  }
  const en = out.en ?? {};
  const missing = widgetStringKeys.filter((k) => typeof en[k] !== 'string');
  if (missing.length > 0) throw new Error(`templates/pages/en.json: widget strings missing: ${missing.join(', ')}`);
  const full: Record<string, WidgetStrings> = {};
  for (const [locale, strings] of Object.entries(out)) {
    full[locale] = Object.fromEntries(widgetStringKeys.map((k) => [k, strings[k] ?? en[k]])) as WidgetStrings;
  }
  return full;
}

/**
 * Builds /widget.js once: the plain-JS client with every locale's strings embedded (one cacheable
 * URL serves any `data-locale`), its gzip form and an ETag.
 */
export async function buildWidgetScript(strings?: Record<string, WidgetStrings>): Promise<WidgetScript> {
  const source = await readFile(clientFile, 'utf8');
  if (!source.includes(placeholder)) throw new Error('widget-client.js: the STRINGS placeholder is missing');
  const table = JSON.stringify(strings ?? (await readWidgetStrings()));
  const body = source.replace(placeholder, () => table);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, gzip: gzipSync(body, { level: 9 }), etag };
}
