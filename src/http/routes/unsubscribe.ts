import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Deps } from '../../deps.js';
import { lookupUnsubscribe } from '../../domain/subscriptions/lookup-unsubscribe.js';
import { unsubscribe } from '../../domain/subscriptions/unsubscribe.js';
import { isAppError } from '../../errors.js';
import type { AppEnv } from '../env.js';
import { errorPage, html, htmlPage } from '../html.js';

const Query = z.object({
  token: z.string().max(200).optional(),
  scope: z.enum(['sku', 'all']).optional().openapi({ description: '`all`: also suppress the address for every SKU.' }),
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
  'List-Unsubscribe': z.string().optional().openapi({ example: 'One-Click' }),
  scope: z.enum(['sku', 'all']).optional(),
});

const action = createRoute({
  method: 'post',
  path: '/unsubscribe',
  tags: ['shoppers'],
  summary: 'Unsubscribe (RFC 8058 one-click, or the page button)',
  description:
    'Body `List-Unsubscribe=One-Click` (RFC 8058, sent by mail clients) is answered with a short text 200; the page button gets an HTML page. `scope=all` in the query or the form also suppresses the address for every SKU.',
  request: { query: Query, body: { required: false, content: { 'application/x-www-form-urlencoded': { schema: OneClick }, 'multipart/form-data': { schema: OneClick } } } },
  responses: { 200: { description: 'Unsubscribed (text for one-click, HTML for the button)' }, 404: { description: 'Invalid link' } },
});

const invalidLink = (c: Context) => errorPage(c, 404, 'This link is not valid', 'Open the unsubscribe link from the email again, or contact the shop.');

/** Masks an address for display on a page anyone holding the link can open: "j…e@example.com". */
const mask = (email: string) => email.replace(/^(.)(.*)(.)@/, (_m, a: string, _b: string, z: string) => `${a}…${z}@`);

/** GET shows a button; POST unsubscribes (one-click or the button). */
export function unsubscribeRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return invalidLink(c);
    },
  });

  app.openapi(page, async (c) => {
    const { token, scope } = c.req.valid('query');
    if (!token) return invalidLink(c);
    try {
      const { subscription, productName } = await lookupUnsubscribe(deps, token);
      const actionUrl = `/unsubscribe?token=${encodeURIComponent(token)}`;
      if (subscription.status === 'unsubscribed' && scope !== 'all') {
        return htmlPage(c, {
          title: 'Already unsubscribed',
          body: html`<h1>You are already unsubscribed</h1><p>${mask(subscription.email)} gets no more emails about <strong>${productName}</strong>.</p>
<form method="post" action="${actionUrl}"><input type="hidden" name="scope" value="all"><button type="submit" class="secondary">Stop all emails from ${deps.config.shopName}</button></form>`,
        });
      }
      return htmlPage(c, {
        title: 'Unsubscribe',
        body: html`<h1>Unsubscribe?</h1><p>${mask(subscription.email)} will get no more emails about <strong>${productName}</strong>.</p>
<form method="post" action="${actionUrl}"><button type="submit">Unsubscribe</button></form>
<form method="post" action="${actionUrl}"><input type="hidden" name="scope" value="all"><button type="submit" class="secondary">Stop all emails from ${deps.config.shopName}</button></form>`,
      });
    } catch (err) {
      if (isAppError(err) && err.code === 'INVALID_TOKEN') return invalidLink(c);
      throw err;
    }
  });

  app.openapi(action, async (c) => {
    const query = c.req.valid('query');
    // The validator only runs for form bodies; a POST with no body (or another type) still unsubscribes.
    const form = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(c.req.header('content-type') ?? '') ? c.req.valid('form') : {};
    const oneClick = form['List-Unsubscribe'] === 'One-Click';
    const scope = query.scope === 'all' || form.scope === 'all' ? 'all' : 'sku';
    if (!query.token) return oneClick ? c.text('Unknown unsubscribe link.', 404) : invalidLink(c);
    try {
      const result = await unsubscribe(deps, query.token, scope);
      // RFC 8058: the mail client only needs a 2xx; nobody reads this body.
      if (oneClick) return c.text('Unsubscribed.', 200);
      return htmlPage(c, {
        title: 'Unsubscribed',
        body:
          scope === 'all'
            ? html`<h1>You are unsubscribed from everything</h1><p>${mask(result.subscription.email)} will get no more emails from ${deps.config.shopName}. If you sign up again later, we will ask you to confirm by email first.</p>`
            : html`<h1>You are unsubscribed</h1><p>${mask(result.subscription.email)} will get no more emails about <strong>${result.productName}</strong>.</p>`,
      });
    } catch (err) {
      if (isAppError(err) && err.code === 'INVALID_TOKEN') return oneClick ? c.text('Unknown unsubscribe link.', 404) : invalidLink(c);
      throw err;
    }
  });

  return app;
}
