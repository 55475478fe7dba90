import { createRoute, z } from '@hono/zod-openapi';
import { safeText } from '../../../domain/validation/text.js';
import type { Deps } from '../../../deps.js';
import { lookupUnsubscribe } from '../../../domain/subscriptions/lookup-unsubscribe.js';
import { unsubscribe } from '../../../domain/subscriptions/unsubscribe.js';
import { AppError, isAppError } from '../../../errors.js';
import { localeQuery } from '../context.js';
import { sendPage } from '../render.js';
import { UnsubscribedPage, UnsubscribePage } from '../subscription.js';
import { createPageRouter } from '../../router.js';

const Query = z.object({
  token: safeText({ max: 200 }).optional(),
  scope: z.enum(['sku', 'all']).optional().openapi({ description: '`all`: also suppress the address for every SKU.' }),
  locale: safeText({ max: 35 }).optional(),
});

const page = createRoute({
  method: 'get',
  path: '/unsubscribe',
  tags: ['shoppers'],
  summary: 'Unsubscribe page with a confirm button (HTML; a GET never unsubscribes)',
  request: { query: Query },
  responses: { 200: { description: 'HTML page with the button' }, 404: { description: 'HTML page: invalid link' } },
});

const OneClick = z.object({
  'List-Unsubscribe': safeText({ max: 100 }).optional().openapi({ example: 'One-Click' }),
  scope: z.enum(['sku', 'all']).optional(),
});

const action = createRoute({
  method: 'post',
  path: '/unsubscribe',
  tags: ['shoppers'],
  summary: 'Unsubscribe (RFC 8058 one-click, or the page button)',
  description:
    'Body `List-Unsubscribe=One-Click` (RFC 8058, sent by mail clients) is answered with a short text 200; the page button gets an HTML page. `scope=all` in the query or the form also suppresses the address for every SKU.',
  request: {
    query: Query,
    body: {
      required: false,
      content: {
        'application/x-www-form-urlencoded': { schema: OneClick },
        'multipart/form-data': { schema: OneClick },
      },
    },
  },
  responses: {
    200: { description: 'Unsubscribed (text for one-click, HTML for the button)' },
    400: { description: 'HTML page: a malformed form body' },
    404: { description: 'Invalid link' },
    415: { description: 'A body that is neither a form nor empty' },
  },
});

/** Masks an address for display on a page anyone holding the link can open: "j…e@example.com". */
const mask = (email: string) => email.replace(/^(.)(.*)(.)@/, (_m, a: string, _b: string, z: string) => `${a}…${z}@`);

const invalidLink = () => new AppError('INVALID_TOKEN', 'Unknown unsubscribe link.');

/** GET shows a button; POST unsubscribes (one-click or the button). Errors: pageByCode, context `unsubscribe`. */
export function unsubscribeRoutes(deps: Deps) {
  const app = createPageRouter({ log: deps.log, context: 'unsubscribe', invalid: 'INVALID_TOKEN' });

  app.openapi(page, async (c) => {
    const { token, scope } = c.req.valid('query');
    if (!token) throw invalidLink();
    const { subscription, productName } = await lookupUnsubscribe(deps, { token });
    const already = subscription.status === 'unsubscribed' && scope !== 'all';
    const actionHref = `/unsubscribe?token=${encodeURIComponent(token)}${localeQuery(c, '&')}`;
    return sendPage(
      c,
      UnsubscribePage({ ...c.var.page, maskedEmail: mask(subscription.email), productName, actionHref, already }),
    );
  });

  app.openapi(action, async (c) => {
    const query = c.req.valid('query');
    // The validator only runs for form bodies; a POST with no body (or another type) still unsubscribes.
    const form = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(c.req.header('content-type') ?? '')
      ? c.req.valid('form')
      : {};
    const oneClick = form['List-Unsubscribe'] === 'One-Click';
    const scope = query.scope === 'all' || form.scope === 'all' ? 'all' : 'sku';
    // RFC 8058: the mail client only needs a status; nobody reads these bodies, so they stay plain text.
    if (!query.token) {
      if (oneClick) return c.text('Unknown unsubscribe link.', 404);
      throw invalidLink();
    }
    try {
      const result = await unsubscribe(deps, { token: query.token, scope });
      if (oneClick) return c.text('Unsubscribed.', 200);
      return sendPage(
        c,
        UnsubscribedPage({
          ...c.var.page,
          maskedEmail: mask(result.subscription.email),
          productName: result.productName,
          all: scope === 'all',
        }),
      );
    } catch (err) {
      if (oneClick && isAppError(err) && err.code === 'INVALID_TOKEN') return c.text('Unknown unsubscribe link.', 404);
      throw err;
    }
  });

  return app;
}
