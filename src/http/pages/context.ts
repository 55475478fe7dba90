import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { messagesFor, pickLocale, type PageCatalogue } from './messages.js';

/** Sets `c.var.page` for every request: the messages of `?locale=` or `Accept-Language`, else en. */
export function pageContext(catalogue: PageCatalogue, shopName: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const locale = pickLocale(catalogue, c.req.query('locale'), c.req.header('accept-language'));
    c.set('page', { m: messagesFor(catalogue, locale), shopName, catalogue });
    await next();
  };
}

/** Switches the page language when a form carried its own `locale` field (the form's page language). */
export function useLocale(c: Context<AppEnv>, locale: unknown): void {
  if (typeof locale !== 'string' || locale.trim() === '') return;
  const { catalogue } = c.var.page;
  c.set('page', { ...c.var.page, m: messagesFor(catalogue, pickLocale(catalogue, locale, c.req.header('accept-language'))) });
}

/** `?locale=xx` to carry the language over a redirect or a link, or '' for the default. */
export const localeQuery = (c: Context<AppEnv>, sep: '?' | '&' = '?') => {
  const { m, catalogue } = c.var.page;
  return m.locale === catalogue.defaultLocale ? '' : `${sep}locale=${encodeURIComponent(m.locale)}`;
};
