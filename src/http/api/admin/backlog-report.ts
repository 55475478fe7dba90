import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import { backlogCsv, backlogReport } from '../../../domain/backorders/backlog-report.js';
import { Sku } from '../../../domain/inventory/inventory-input.js';
import { errorResponses } from '../../openapi.js';
import { createRouter } from '../../router.js';

const SkuRow = z
  .object({
    sku: z.string(),
    name: z.string(),
    openLines: z.number().int(),
    openUnits: z.number().int(),
    allocatedLines: z.number().int(),
    oldestOrderDate: z.string().nullable(),
    earliestPromisedDate: z.string().nullable(),
    latestPromisedDate: z.string().nullable(),
    overdueLines: z.number().int(),
    awaitingAnswer: z.number().int(),
    cancelDueLines: z.number().int(),
    unreachableLines: z.number().int(),
    eta: z.string().nullable(),
    etaReason: z.string().nullable(),
    unitsOnHand: z.number().int(),
  })
  .openapi('BacklogSku');
const RefundRow = z
  .object({
    orderId: z.string(),
    sku: z.string(),
    status: z.enum(['open', 'allocated', 'fulfilled', 'cancelled', 'cancel_due']),
    creditApplied: z.boolean(),
    refundDueBy: z
      .string()
      .openapi({ description: '7 working days after cancellation; one billing cycle with creditApplied' }),
    pastDue: z.boolean(),
  })
  .openapi('BacklogRefund');
const Report = z
  .object({
    asOf: z.string(),
    skus: z.array(SkuRow),
    refunds: z.array(RefundRow).openapi({
      description: 'Cancelled lines whose refund is not reported yet (PATCH refundedAt), earliest due first',
    }),
    summary: z.object({
      lines: z.number().int(),
      units: z.number().int(),
      overdueLines: z.number().int(),
      averageAgeDays: z.number().nullable(),
      answers: z.object({ waited: z.number().int(), cancelled: z.number().int(), silent: z.number().int() }),
      refundsOwed: z.number().int(),
      refundsPastDue: z.number().int(),
    }),
  })
  .openapi('BacklogReport');

const route = createRoute({
  method: 'get',
  path: '/api/v1/admin/reports/backlog',
  tags: ['admin'],
  summary: 'Backlog per SKU (orders not yet shipped) and a summary; Accept: text/csv for CSV',
  security: [{ bearer: [] }],
  request: {
    query: z.object({
      sku: Sku.optional(),
      status: z
        .enum(['open', 'allocated', 'fulfilled', 'cancelled', 'cancel_due'])
        .optional()
        .openapi({ description: 'default: the backlog (open, allocated, cancel_due)' }),
      overdue: z
        .enum(['true', 'false'])
        .optional()
        .openapi({ description: 'true: only lines past their original promised date' }),
    }),
  },
  responses: {
    200: {
      description: 'The report',
      content: { 'application/json': { schema: Report }, 'text/csv': { schema: z.string() } },
    },
    ...errorResponses(400, 401, [403, 'needs scope admin or marketing']),
  },
});

/** GET /api/v1/admin/reports/backlog (bearer scope admin or marketing). */
export function backlogReportRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(route, async (c) => {
    const q = c.req.valid('query');
    const report = await backlogReport(deps, { sku: q.sku, status: q.status, overdue: q.overdue === 'true' });
    if (/text\/csv/i.test(c.req.header('accept') ?? '')) {
      return c.body(backlogCsv(report), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="backlog-${report.asOf}.csv"`,
      });
    }
    return c.json(report, 200);
  });
  return app;
}
