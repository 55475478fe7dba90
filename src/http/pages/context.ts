import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.js';
import { rawHeader } from '../raw-headers.js';
import { messagesFor, pickLocale } from './messages.js';
import type { PageSettings } from './page-settings.js';

/** Form posts are the only requests under /api/ answered with a page (signup-form.ts). */
const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i;

/**
 * Sets `c.var.page` for every request that may be answered with a page: the messages of `?locale=` or
 * `Accept-Language`, else en, from the shipped catalogue with the console's published copy on top,
 * and the branding's shop name. The JSON API under /api/ answers JSON only, so its requests skip this
 * (a form post to /api/v1/signups excepted): it was ≈ 7 % of a JSON signup's CPU.
 */
export function pageContext(settings: PageSettings): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.path.startsWith('/api/') && !FORM_TYPE.test(rawHeader(c, 'content-type') ?? '')) return next();
    const { catalogue, shopName, brand } = await settings.get();
    const locale = pickLocale(catalogue, c.req.query('locale'), c.req.header('accept-language'));
    c.set('page', { m: messagesFor(catalogue, locale), shopName, brand, catalogue });
    await next();
  };
}

/** Switches the page language when a form carried its own `locale` field (the form's page language). */
export function useLocale(c: Context<AppEnv>, locale: unknown): void {
  if (typeof locale !== 'string' || locale.trim() === '') return;
  const { catalogue } = c.var.page;
  c.set('page', {
    ...c.var.page,
    m: messagesFor(catalogue, pickLocale(catalogue, locale, c.req.header('accept-language'))),
  });
}

/** `?locale=xx` to carry the language over a redirect or a link, or '' for the default. */
export const localeQuery = (c: Context<AppEnv>, sep: '?' | '&' = '?') => {
  const { m, catalogue } = c.var.page;
  return m.locale === catalogue.defaultLocale ? '' : `${sep}locale=${encodeURIComponent(m.locale)}`;
};
