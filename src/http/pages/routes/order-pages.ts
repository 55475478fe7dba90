import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { products } from '../../../db/schema/index.js';
import type { Deps } from '../../../deps.js';
import { getBackorder } from '../../../domain/backorders/get-backorder.js';
import { verifyOrderToken } from '../../../domain/backorders/order-tokens.js';
import { recordCustomerAnswer, type AnswerCtx } from '../../../domain/backorders/record-customer-answer.js';
import { AppError, isAppError } from '../../../errors.js';
import type { AppEnv } from '../../context.js';
import { useLocale } from '../context.js';
import { OrderAnsweredPage, OrderStatusPage } from '../order-status.js';
import { sendPage } from '../render.js';
import { createPageRouter } from '../../router.js';

const Params = z.object({
  token: z
    .string()
    .max(100)
    .openapi({ param: { name: 'token', in: 'path' } }),
});
const Query = z.object({ choice: z.enum(['wait', 'cancel']).optional(), locale: z.string().max(35).optional() });
const pageRoute = createRoute({
  method: 'get',
  path: '/orders/{token}',
  tags: ['shoppers'],
  summary:
    'The customer page of one order line: status, every date and why, and the Keep/Cancel choice (a GET never records a choice)',
  request: { params: Params, query: Query },
  responses: { 200: { description: 'HTML page' }, 404: { description: 'HTML page: invalid link' } },
});
// `choice` is checked in the handler: a bad choice is a 400 "choose an option", not an invalid link.
const Form = z.object({
  choice: z
    .string()
    .max(20)
    .optional()
    .openapi({ enum: ['wait', 'cancel'] }),
});
const answerRoute = createRoute({
  method: 'post',
  path: '/orders/{token}',
  tags: ['shoppers'],
  summary: 'Record the customer answer: choice=wait (keep the order) or choice=cancel (cancel and refund)',
  request: {
    params: Params,
    body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: Form } } },
  },
  responses: {
    200: { description: 'HTML page confirming the choice' },
    400: { description: 'HTML page: no valid choice' },
    404: { description: 'HTML page: invalid link' },
    409: { description: 'HTML page: the line can no longer be changed' },
    415: { description: 'HTML page: not a form post' },
  },
});

export type AnswerHook = AnswerCtx['onAnswer'];

/** `/orders/{token}`: GET shows the line, POST records the customer's choice. Errors: pageByCode, context `order`. */
export function orderPageRoutes(deps: Deps, onAnswer?: AnswerHook) {
  const app = createPageRouter({ log: deps.log, context: 'order', invalid: 'INVALID_TOKEN' });

  /** The line the token names, in the line's language unless the URL asks for another. */
  const load = async (c: Context<AppEnv>, token: string) => {
    const id = verifyOrderToken(deps.config.appSecret, token);
    if (id === undefined) throw new AppError('INVALID_TOKEN', 'Unknown order link.');
    const found = await getBackorder(deps, { id }).catch((err: unknown) => {
      throw isAppError(err) && err.code === 'NOT_FOUND' ? new AppError('INVALID_TOKEN', 'Unknown order link.') : err;
    });
    if (!c.req.query('locale')) useLocale(c, found.backorder.locale);
    const [p] = await deps.db
      .select({ name: products.name })
      .from(products)
      .where(eq(products.sku, found.backorder.sku));
    return { ...found, productName: p?.name ?? found.backorder.sku };
  };

  app.openapi(pageRoute, async (c) => {
    const { token } = c.req.valid('param');
    const { backorder, events, productName } = await load(c, token);
    const { choice } = c.req.valid('query');
    return sendPage(
      c,
      OrderStatusPage({
        ...c.var.page,
        line: backorder,
        events,
        productName,
        actionHref: `/orders/${token}`,
        ...(choice ? { preselect: choice } : {}),
      }),
    );
  });

  app.openapi(answerRoute, async (c) => {
    const { token } = c.req.valid('param');
    const { backorder, productName } = await load(c, token);
    const { choice } = c.req.valid('form');
    if (choice !== 'wait' && choice !== 'cancel')
      throw new AppError('VALIDATION', 'choice must be wait or cancel', {
        details: [{ path: 'choice', message: 'wait or cancel' }],
      });
    await recordCustomerAnswer({ ...deps, onAnswer }, { backorderId: backorder.id, choice });
    const orderTitle = c.var.page.m.t('order.title', { order: backorder.orderLabel ?? backorder.orderId });
    return sendPage(
      c,
      OrderAnsweredPage({ ...c.var.page, choice, productName, orderTitle, backHref: `/orders/${token}` }),
    );
  });
  return app;
}
