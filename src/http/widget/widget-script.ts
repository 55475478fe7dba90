import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The widget's shopper-facing strings: the `widget.*` keys of templates/pages/<locale>.json. */
const widgetStringKeys = [
  'notifyMe',
  'emailLabel',
  'submit',
  'sending',
  'expectedBack',
  'orderNow',
  'orderNowNoDate',
  'consent',
  'pending',
  'active',
  'invalidEmail',
  'inStock',
  'rateLimited',
  'error',
  'waitingOne',
  'waitingOther',
] as const;
export type WidgetStrings = Record<(typeof widgetStringKeys)[number], string>;

export type WidgetScript = { body: string; gzip: Buffer; etag: string };

const clientFile = fileURLToPath(new URL('./widget-client.js', import.meta.url));
const placeholder = '/*STRINGS*/ { en: {} }';

/**
 * The widget's table from the page catalogue (locale → flat key → text): its `widget.*` keys. A key a
 * locale lacks falls back to English, so a half-done translation never shows a blank button.
 * @throws Error when English itself lacks a key.
 */
export function widgetStringsOf(
  locales: Record<string, Readonly<Record<string, string>>>,
): Record<string, WidgetStrings> {
  const pick = (map: Readonly<Record<string, string>> | undefined, k: string) => map?.[`widget.${k}`];
  const missing = widgetStringKeys.filter((k) => typeof pick(locales.en, k) !== 'string');
  if (missing.length > 0)
    throw new Error(`templates/pages/en.json: widget strings missing: ${missing.map((k) => `widget.${k}`).join(', ')}`);
  const out: Record<string, WidgetStrings> = {};
  for (const [locale, map] of Object.entries(locales)) {
    if (!widgetStringKeys.some((k) => pick(map, k) !== undefined)) continue;
    out[locale] = Object.fromEntries(
      widgetStringKeys.map((k) => [k, pick(map, k) ?? pick(locales.en, k)]),
    ) as WidgetStrings;
  }
  return out;
}

/**
 * Builds /widget.js once: the plain-JS client with every locale's strings embedded (one cacheable
 * URL serves any `data-locale`), its gzip form and an ETag.
 */
export async function buildWidgetScript(strings: Record<string, WidgetStrings>): Promise<WidgetScript> {
  const source = await readFile(clientFile, 'utf8');
  if (!source.includes(placeholder)) throw new Error('widget-client.js: the STRINGS placeholder is missing');
  const table = JSON.stringify(strings);
  const body = source.replace(placeholder, () => table);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, gzip: gzipSync(body, { level: 9 }), etag };
}
