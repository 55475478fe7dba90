import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { OrderInput } from '../../domain/orders/order-input.js';
import { MAX_ORDER_ROWS, recordOrder, recordOrderBatch } from '../../domain/orders/record-order-batch.js';
import { requireScope } from '../auth.js';
import { batchSummaryResponse, errorResponses } from '../openapi.js';
import { createRouter } from '../router.js';

const auth: [[401, string], [403, string]] = [
  [401, 'missing or unknown token'],
  [403, 'token without scope inventory'],
];
const Recorded = z
  .object({ orderId: z.string(), created: z.boolean(), lines: z.number().int(), attributedLines: z.number().int() })
  .openapi('RecordedOrder');
const one = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.object({ order: Recorded }) } },
});

const createRouteDef = createRoute({
  method: 'post',
  path: '/api/v1/orders',
  tags: ['orders'],
  summary:
    'Record an order placed in the shop (idempotent on orderId); its lines are attributed to the notification before them',
  security: [{ bearer: [] }],
  // The body is parsed by the verb (OrderInput): every problem comes back with its line (`lines.1.unitPrice`).
  request: {
    body: { required: true, content: { 'application/json': { schema: z.unknown().openapi({ example: EXAMPLE() }) } } },
  },
  responses: { 201: one('Recorded'), 200: one('Recorded before (unchanged)'), ...errorResponses(400, ...auth) },
});

const bulkRouteDef = createRoute({
  method: 'post',
  path: '/api/v1/orders/bulk',
  tags: ['orders'],
  summary: `Record many orders: a JSON array (≤ ${MAX_ORDER_ROWS}); bad rows are reported, good rows recorded`,
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: z.array(z.unknown()) } } } },
  responses: {
    200: batchSummaryResponse('OrderBatchSummary', { orderId: z.string().optional() }),
    ...errorResponses([400, 'not a JSON array'], 413, ...auth),
  },
});

function EXAMPLE(): z.input<typeof OrderInput> {
  return {
    orderId: '1001',
    email: 'ada@example.com',
    currency: 'EUR',
    lines: [{ sku: 'TEE-BLUE-M', quantity: 2, unitPrice: '19.99' }],
    placedAt: '2026-03-01T12:00:00Z',
  };
}

/** Orders placed in the shop over the REST API (scope `inventory`, like the backorder intake). */
export function orderRoutes(deps: Deps) {
  const app = createRouter();
  app.use('/api/v1/orders', requireScope(deps, 'inventory'));
  app.use('/api/v1/orders/*', requireScope(deps, 'inventory'));
  app.openapi(createRouteDef, async (c) => {
    const order = await recordOrder(deps, { order: c.req.valid('json') });
    return c.json({ order }, order.created ? 201 : 200);
  });
  app.openapi(bulkRouteDef, async (c) =>
    c.json(await recordOrderBatch(deps, { rows: c.req.valid('json') as unknown[] }), 200),
  );
  return app;
}
