import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';

/**
 * The hosted pages' words: one flat JSON object per locale (`templates/pages/<locale>.json`, keys like
 * `signup.submit`, values with `{{placeholders}}`). Flat keys so a console can list and edit them one
 * by one; `layerMessages` puts per-locale overrides (e.g. from the database) on top later.
 */
type MessageMap = Readonly<Record<string, string>>;
export type PageCatalogue = { defaultLocale: string; locales: Readonly<Record<string, MessageMap>> };

const DEFAULT_LOCALE = 'en';
const MessageFile = z.record(z.string(), z.string());

/** Reads every `<locale>.json` in `dir` once (start-up, not per request). Throws on a malformed file. */
export function loadPageCatalogue(dir: string): PageCatalogue {
  const locales: Record<string, MessageMap> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const parsed = MessageFile.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success) throw new Error(`${join(dir, file)}: must be one flat object of strings`);
    locales[basename(file, '.json').toLowerCase()] = parsed.data;
  }
  if (!locales[DEFAULT_LOCALE]) throw new Error(`${dir}: ${DEFAULT_LOCALE}.json is missing (the fallback locale)`);
  return { defaultLocale: DEFAULT_LOCALE, locales };
}

/** A catalogue with `overrides` (locale → key → text) laid over it; keys not overridden stay. */
export function layerMessages(base: PageCatalogue, overrides: Record<string, Record<string, string>>): PageCatalogue {
  const locales: Record<string, MessageMap> = { ...base.locales };
  for (const [locale, map] of Object.entries(overrides)) locales[locale] = { ...locales[locale], ...map };
  return { ...base, locales };
}

/**
 * Picks the locale: `?locale=` first, then `Accept-Language` by quality, matching on the primary
 * subtag (`de-CH` → `de`); anything unknown falls back to the default.
 */
export function pickLocale(
  catalogue: PageCatalogue,
  query: string | undefined,
  acceptLanguage: string | undefined,
): string {
  const known = (tag: string) => {
    const primary = tag.trim().toLowerCase().split('-')[0] ?? '';
    // Own keys only: `in` would accept `__proto__` or `constructor` from a query string (a 500).
    return Object.hasOwn(catalogue.locales, primary) ? primary : undefined;
  };
  const fromQuery = query ? known(query) : undefined;
  if (fromQuery) return fromQuery;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) {
    const hit = known(r.tag);
    if (hit) return hit;
  }
  return catalogue.defaultLocale;
}

type Vars = Record<string, string | number>;

/** Messages of one locale. A key missing in the locale falls back to the default locale, then to the key. */
export type Messages = {
  locale: string;
  has(key: string): boolean;
  /** Plain text with `{{name}}` replaced (escaping happens when the page renders). */
  t(key: string, vars?: Vars): string;
  /** Text split around placeholders so a placeholder can be markup (a link, <strong>): [text, node, text…]. */
  parts<T>(key: string, vars: Record<string, T | string>): (T | string)[];
  /** A calendar date (`YYYY-MM-DD`) spelled out in this locale: "December 15, 2026", "15. Dezember 2026". */
  date(isoDate: string): string;
};

/** Built once per (catalogue, locale): an `Intl.DateTimeFormat` costs ≈ 0.2 ms, and every request picks its page messages. */
const built = new WeakMap<PageCatalogue, Map<string, Messages>>();

/**
 * The messages of `locale` in `catalogue`. Cached per catalogue object (a catalogue is never changed
 * in place: `layerMessages` makes a new one) for the locales it has, so the cache is bounded by them.
 */
export function messagesFor(catalogue: PageCatalogue, locale: string): Messages {
  if (!Object.hasOwn(catalogue.locales, locale)) return buildMessages(catalogue, locale);
  let byLocale = built.get(catalogue);
  if (!byLocale) built.set(catalogue, (byLocale = new Map()));
  let m = byLocale.get(locale);
  if (!m) byLocale.set(locale, (m = buildMessages(catalogue, locale)));
  return m;
}

function buildMessages(catalogue: PageCatalogue, locale: string): Messages {
  const own = catalogue.locales[locale] ?? {};
  const fallback = catalogue.locales[catalogue.defaultLocale] ?? {};
  const raw = (key: string) => own[key] ?? fallback[key] ?? key;
  // UTC on both sides: a calendar date has no time zone, so it must not shift by one day.
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  return {
    locale,
    date: (iso) => {
      const d = new Date(`${iso}T00:00:00Z`);
      return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
    },
    has: (key) => key in own || key in fallback,
    t: (key, vars = {}) =>
      raw(key).replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)),
    parts: (key, vars) =>
      raw(key)
        .split(/(\{\{\s*\w+\s*\}\})/)
        .filter((s) => s !== '')
        .map((s) => {
          const name = /^\{\{\s*(\w+)\s*\}\}$/.exec(s)?.[1];
          return name !== undefined && name in vars ? (vars[name] as (typeof vars)[string]) : s;
        }),
  };
}
