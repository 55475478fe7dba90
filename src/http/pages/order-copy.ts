import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { templatesDir } from '../../mail/template-file.js';

/**
 * The order page's words, one flat JSON per locale in `templates/pages-orders/<locale>.json`
 * (keys `order.*`, `{{placeholders}}`), read once. A key missing in a locale falls back to English.
 */
export type Translate = (key: string, vars?: Record<string, string | number>) => string;
export type OrderCopy = { locales: Record<string, Record<string, string>> };

export function loadOrderCopy(dir = join(templatesDir, 'pages-orders')): OrderCopy {
  const locales: Record<string, Record<string, string>> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) locales[basename(f, '.json')] = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, string>;
  return { locales };
}

/** The catalogue locale for a line's locale tag (`de-AT` → `de`), default English. */
export function orderLocale(copy: OrderCopy, tag: string | null | undefined): string {
  const primary = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return primary in copy.locales ? primary : 'en';
}

export function translator(copy: OrderCopy, locale: string): Translate {
  const own = copy.locales[locale] ?? {};
  const en = copy.locales.en ?? {};
  return (key, vars = {}) => (own[key] ?? en[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(vars[name] ?? ''));
}

/** `YYYY-MM-DD` as a long local date; calendar dates are formatted in UTC so they never shift a day. */
export function formatDay(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}
