import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { BackorderInput, BackorderPatch, OrderId, toBackorderView } from '../../domain/backorders/backorder-input.js';
import { getBackorder, toEventView } from '../../domain/backorders/get-backorder.js';
import { type OnCreated, registerBackorders } from '../../domain/backorders/register-backorders.js';
import { registerBackorderBatch, MAX_BACKORDER_ROWS } from '../../domain/backorders/register-backorder-batch.js';
import { updateBackorder, type UpdateCtx } from '../../domain/backorders/update-backorder.js';
import { Sku } from '../../domain/inventory/inventory-input.js';
import { AppError } from '../../errors.js';
import { batchSummaryResponse, errorResponses } from '../openapi.js';
import { createRouter } from '../router.js';
import { requireScope } from '../auth.js';

const Status = z.enum(['open', 'allocated', 'fulfilled', 'cancelled', 'cancel_due']);
const BackorderSchema = z
  .object({
    orderId: z.string(),
    orderLabel: z.string(),
    sku: z.string(),
    quantity: z.number().int(),
    status: Status,
    email: z.string(),
    customerName: z.string().nullable(),
    locale: z.string().nullable(),
    orderedAt: z.string(),
    promisedDate: z.string().openapi({ description: 'The ship date originally promised (never changes)' }),
    expectedDate: z
      .string()
      .nullable()
      .openapi({ description: 'The current expected ship date; null = no date can be given' }),
    expectedReason: z.string().nullable(),
    consentDeadline: z
      .string()
      .nullable()
      .openapi({ description: 'Unless the customer agrees to wait by this date, the line becomes cancel_due' }),
    awaitingAnswer: z.boolean(),
    customerAnswer: z.string().nullable(),
    unreachable: z.boolean(),
    notify: z.boolean(),
    creditApplied: z.boolean(),
    shipBy: z.string().nullable().openapi({
      description:
        'Ships by this date without asking again: the applicable time, then the consented date; null = customer agreed to wait without a date',
    }),
    refundDueBy: z.string().nullable().openapi({
      description:
        'Cancelled lines: the prompt refund is due by this date (7 working days; one billing cycle with creditApplied)',
    }),
    refundedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Backorder');
const EventSchema = z
  .object({
    type: z.string(),
    source: z.string(),
    oldStatus: z.string().nullable(),
    newStatus: z.string().nullable(),
    oldDate: z.string().nullable(),
    newDate: z.string().nullable(),
    reason: z.string().nullable(),
    notice: z.string().nullable(),
    answer: z.string().nullable(),
    at: z.string(),
  })
  .openapi('BackorderEvent');
const auth: [[401, string], [403, string]] = [
  [401, 'missing or unknown token'],
  [403, 'token without scope inventory'],
];
const one = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.object({ backorder: BackorderSchema }) } },
});
const KeyParams = z.object({
  orderId: OrderId.openapi({ param: { name: 'orderId', in: 'path' }, example: '1001' }),
  sku: Sku.openapi({ param: { name: 'sku', in: 'path' }, example: 'TEE-BLUE-M' }),
});

const createRouteDef = createRoute({
  method: 'post',
  path: '/api/v1/backorders',
  tags: ['backorders'],
  summary: 'Register an order line on backorder (idempotent on orderId + sku)',
  security: [{ bearer: [] }],
  request: {
    body: { required: true, content: { 'application/json': { schema: BackorderInput.openapi('BackorderInput') } } },
  },
  responses: {
    201: one('Registered'),
    200: one('Already registered (unchanged)'),
    ...errorResponses(400, 404, ...auth),
  },
});

const bulkRouteDef = createRoute({
  method: 'post',
  path: '/api/v1/backorders/bulk',
  tags: ['backorders'],
  summary: `Register many lines: a JSON array (≤ ${MAX_BACKORDER_ROWS}); bad rows are reported, good rows applied`,
  security: [{ bearer: [] }],
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.array(z.unknown()).openapi({ items: BackorderInput as never }) } },
    },
  },
  responses: {
    200: batchSummaryResponse('BackorderBatchSummary', { orderId: z.string().optional(), sku: z.string().optional() }),
    ...errorResponses([400, 'not a JSON array'], 413, ...auth),
  },
});

const patchRouteDef = createRoute({
  method: 'patch',
  path: '/api/v1/backorders/{orderId}/{sku}',
  tags: ['backorders'],
  summary: 'Change a line: status, revised ship date (promisedDate, null = unknown) with a reason, refundedAt',
  security: [{ bearer: [] }],
  request: {
    params: KeyParams,
    body: { required: true, content: { 'application/json': { schema: BackorderPatch.openapi('BackorderPatch') } } },
  },
  responses: {
    200: one('The line after the change and any delay notice it caused'),
    ...errorResponses(
      400,
      404,
      [409, 'the line is fulfilled or cancelled (or not cancelled, for refundedAt)'],
      ...auth,
    ),
  },
});

const getRouteDef = createRoute({
  method: 'get',
  path: '/api/v1/backorders/{orderId}/{sku}',
  tags: ['backorders'],
  summary: 'A line with its history (dates, reasons, notices sent, customer answers)',
  security: [{ bearer: [] }],
  request: { params: KeyParams },
  responses: {
    200: {
      description: 'The line and its events',
      content: {
        'application/json': { schema: z.object({ backorder: BackorderSchema, events: z.array(EventSchema) }) },
      },
    },
    ...errorResponses([400, 'malformed order id or SKU'], 404, ...auth),
  },
});

export type BackorderHooks = OnCreated;
export type UpdateHook = UpdateCtx['afterChange'];

/** Order lines on backorder over the REST API (scope `inventory`). */
export function backorderRoutes(deps: Deps, hooks: { onCreated?: BackorderHooks; afterChange?: UpdateHook } = {}) {
  const app = createRouter();
  app.use('/api/v1/backorders', requireScope(deps, 'inventory'));
  app.use('/api/v1/backorders/*', requireScope(deps, 'inventory'));

  app.openapi(createRouteDef, async (c) => {
    const [result] = await registerBackorders(
      { ...deps, onCreated: hooks.onCreated },
      { lines: [c.req.valid('json')], source: 'api' },
    );
    if (!result!.ok) throw new AppError(result!.code, result!.message, { details: result!.details });
    return c.json({ backorder: toBackorderView(result!.backorder) }, result!.created ? 201 : 200);
  });

  app.openapi(bulkRouteDef, async (c) => {
    const rows = c.req.valid('json') as unknown[];
    return c.json(await registerBackorderBatch({ ...deps, onCreated: hooks.onCreated }, { rows }), 200);
  });

  app.openapi(patchRouteDef, async (c) => {
    const { orderId, sku } = c.req.valid('param');
    const ctx = { ...deps, afterChange: hooks.afterChange };
    const { after } = await updateBackorder(ctx, { orderId, sku, patch: c.req.valid('json'), source: 'api' });
    return c.json({ backorder: toBackorderView(after) }, 200);
  });

  app.openapi(getRouteDef, async (c) => {
    const { backorder, events } = await getBackorder(deps, c.req.valid('param'));
    return c.json({ backorder: toBackorderView(backorder), events: events.map(toEventView) }, 200);
  });
  return app;
}
