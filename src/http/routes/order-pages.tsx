import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { products } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { getBackorder } from '../../domain/backorders/get-backorder.js';
import { verifyOrderToken } from '../../domain/backorders/order-tokens.js';
import { recordCustomerAnswer, type Choice } from '../../domain/backorders/record-customer-answer.js';
import { isAppError } from '../../errors.js';
import type { AppEnv } from '../env.js';
import { html, htmlPage, rawHtml } from '../html.js';
import { loadOrderCopy, orderLocale, translator, type Translate } from '../pages/order-copy.js';
import { OrderStatus } from '../pages/order-status.js';

const Params = z.object({ token: z.string().max(100).openapi({ param: { name: 'token', in: 'path' } }) });
const pageRoute = createRoute({
  method: 'get',
  path: '/orders/{token}',
  tags: ['shoppers'],
  summary: 'The customer page of one order line: status, every date and why, and the Keep/Cancel choice (a GET never records a choice)',
  request: { params: Params },
  responses: { 200: { description: 'HTML page' }, 404: { description: 'HTML page: invalid link' } },
});
const Form = z.object({ choice: z.enum(['wait', 'cancel']) });
const answerRoute = createRoute({
  method: 'post',
  path: '/orders/{token}',
  tags: ['shoppers'],
  summary: 'Record the customer answer: choice=wait (keep the order) or choice=cancel (cancel and refund)',
  request: { params: Params, body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: Form } } } },
  responses: { 200: { description: 'HTML page confirming the choice' }, 400: { description: 'HTML page: no valid choice' }, 404: { description: 'HTML page: invalid link' }, 409: { description: 'HTML page: the line can no longer be changed' } },
});

export type AnswerHook = Parameters<typeof recordCustomerAnswer>[3];

/** `/orders/{token}`: GET shows the line, POST records the customer's choice. */
export function orderPageRoutes(deps: Deps, onAnswer?: AnswerHook) {
  const copy = loadOrderCopy();
  const invalid = (c: Context, t: Translate, status: 400 | 404 = 404) =>
    htmlPage(c, { title: t('order.invalid.title'), status, body: html`<h1>${t('order.invalid.title')}</h1><p>${t('order.invalid.text')}</p>` });
  const english = translator(copy, 'en');
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return invalid(c, english, 400);
    },
  });
  const load = async (token: string) => {
    const id = verifyOrderToken(deps.config.appSecret, token);
    if (id === undefined) return undefined;
    try {
      const found = await getBackorder(deps, { id });
      const [p] = await deps.db.select({ name: products.name }).from(products).where(eq(products.sku, found.backorder.sku));
      const locale = orderLocale(copy, found.backorder.locale);
      return { ...found, productName: p?.name ?? found.backorder.sku, locale, t: translator(copy, locale) };
    } catch (err) {
      if (isAppError(err) && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  };

  app.openapi(pageRoute, async (c) => {
    const { token } = c.req.valid('param');
    const found = await load(token);
    if (!found) return invalid(c, english);
    const { t, locale, backorder, events, productName } = found;
    const body = <OrderStatus t={t} locale={locale} line={backorder} events={events} productName={productName} actionUrl={`/orders/${token}`} />;
    return htmlPage(c, { title: t('order.title', { order: backorder.orderLabel ?? backorder.orderId }), body: rawHtml(String(body)) });
  });

  app.openapi(answerRoute, async (c) => {
    const { token } = c.req.valid('param');
    const found = await load(token);
    if (!found) return invalid(c, english);
    const { t, productName, backorder } = found;
    const choice: Choice = c.req.valid('form').choice;
    try {
      await recordCustomerAnswer(deps, backorder.id, choice, onAnswer);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'CONFLICT') throw err;
      return htmlPage(c, {
        title: t('order.closed.title'),
        status: 409,
        body: html`<h1>${t('order.closed.title')}</h1><p>${t('order.closed.text', { status: t(`order.status.${backorder.status}`), shop: deps.config.shopName })}</p>`,
      });
    }
    const title = t(`order.done.${choice}.title`);
    return htmlPage(c, { title, body: html`<h1>${title}</h1><p>${t(`order.done.${choice}.text`, { product: productName })}</p><p><a href="/orders/${token}">${t('order.title', { order: backorder.orderLabel ?? backorder.orderId })}</a></p>` });
  });
  return app;
}
