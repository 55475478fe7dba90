import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import { dailySignups } from '../../../domain/reports/daily-signups.js';
import { demandReport, DemandSort } from '../../../domain/reports/demand-report.js';
import { deliveriesReport } from '../../../domain/reports/deliveries-report.js';
import { line, SkuParam } from './inputs.js';
import { createRouter } from '../../router.js';
import { csvResponse, wantsCsv } from './csv.js';
import { adminErrors, adminSecurity, json } from './shared.js';
import { resultsReportRoutes } from './results-report.js';

const DemandRow = z
  .object({
    sku: z.string(),
    name: z.string(),
    active: z.number().int(),
    pending: z.number().int(),
    notified: z.number().int(),
    unsubscribed: z.number().int(),
    new7d: z.number().int(),
    oldestWaiting: z.string().nullable(),
    quantity: z.number().int(),
    eta: z.string().nullable(),
    backorderable: z.boolean(),
    valueWaiting: z.object({ currency: z.string(), amount: z.string(), minor: z.string() }).nullable().openapi({
      description: 'lost demand: waiting (active) × the last known unit price; null without a recorded order',
    }),
  })
  .openapi('DemandRow');

const Counts = {
  queued: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  retry: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  total: z.number().int(),
};

const tags = ['admin: reports'];
const routes = {
  demand: createRoute({
    method: 'get',
    path: '/api/v1/admin/reports/demand',
    tags,
    security: adminSecurity,
    summary: 'Waitlist per SKU; `Accept: text/csv` (or ?format=csv) for CSV of every matching row',
    request: {
      query: z.object({
        q: line(200).optional().openapi({ description: 'search SKU or product name' }),
        sort: DemandSort.optional(),
        order: z.enum(['asc', 'desc']).optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
        offset: z.coerce.number().int().min(0).max(10_000_000).optional(),
        format: z.enum(['json', 'csv']).optional(),
      }),
    },
    responses: {
      200: {
        description: 'The report',
        content: {
          'application/json': {
            schema: z.object({
              total: z.number().int(),
              totals: z
                .object({
                  skus: z.number().int(),
                  active: z.number().int(),
                  pending: z.number().int(),
                  notified: z.number().int(),
                  new7d: z.number().int(),
                })
                .openapi({
                  description:
                    'Sums over every matching SKU (active = confirmed and waiting; pending = not confirmed yet)',
                }),
              rows: z.array(DemandRow),
            }),
          },
          'text/csv': { schema: z.string() },
        },
      },
      ...adminErrors,
    },
  }),
  daily: createRoute({
    method: 'get',
    path: '/api/v1/admin/reports/demand/{sku}/daily',
    tags,
    security: adminSecurity,
    summary: 'Signups per UTC day for one SKU (zero-filled), for a small chart',
    request: {
      params: z.object({ sku: SkuParam.openapi({ param: { name: 'sku', in: 'path' } }) }),
      query: z.object({ days: z.coerce.number().int().min(1).max(366).optional().default(30) }),
    },
    responses: {
      200: json(
        z.object({ sku: z.string(), days: z.array(z.object({ date: z.string(), signups: z.number().int() })) }),
        'Series',
      ),
      ...adminErrors,
    },
  }),
  deliveries: createRoute({
    method: 'get',
    path: '/api/v1/admin/reports/deliveries',
    tags,
    security: adminSecurity,
    summary:
      'Per restock/ETA event: queued/sent/retry/failed/skipped, their sum; last 7 days; recent failures with SMTP replies',
    request: {
      query: z.object({ sku: SkuParam.optional(), limit: z.coerce.number().int().min(1).max(500).optional() }),
    },
    responses: {
      200: json(
        z.object({
          summary: z.object(Counts).openapi({ description: 'Sums over `events` (the table adds up to it)' }),
          last7Days: z.object(Counts).openapi({ description: 'Every delivery of any kind queued in the last 7 days' }),
          events: z.array(
            z.object({
              kind: z.enum(['restock', 'eta']),
              eventId: z.number().int(),
              sku: z.string(),
              productName: z.string(),
              detectedAt: z.string(),
              lastSentAt: z.string().nullable(),
              ...Counts,
            }),
          ),
          failures: z.array(
            z.object({
              deliveryId: z.number().int(),
              templateKey: z.string(),
              eventId: z.number().int().nullable(),
              sku: z.string().nullable(),
              recipient: z.string(),
              status: z.enum(['failed', 'retry']),
              attempts: z.number().int(),
              lastError: z.string().nullable(),
              smtpResponse: z.string().nullable(),
              nextAttemptAt: z.string().nullable(),
              updatedAt: z.string(),
            }),
          ),
        }),
        'The report',
      ),
      ...adminErrors,
    },
  }),
};

const demandColumns = [
  { key: 'sku', header: 'sku' },
  { key: 'name', header: 'name' },
  { key: 'active', header: 'active' },
  { key: 'pending', header: 'pending' },
  { key: 'notified', header: 'notified' },
  { key: 'unsubscribed', header: 'unsubscribed' },
  { key: 'new7d', header: 'new_7d' },
  { key: 'oldestWaiting', header: 'oldest_waiting' },
  { key: 'quantity', header: 'quantity' },
  { key: 'eta', header: 'eta' },
  { key: 'backorderable', header: 'backorderable' },
  { key: 'valueWaitingCurrency', header: 'value_waiting_currency' },
  { key: 'valueWaitingAmount', header: 'value_waiting' },
];

export function adminReportRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(routes.demand, async (c) => {
    const query = c.req.valid('query');
    if (wantsCsv(c)) {
      // The export is every matching row, not one page.
      const report = await demandReport(deps, { ...query, limit: 100_000, offset: 0 });
      const records = report.rows.map((r) => ({
        ...r,
        valueWaitingCurrency: r.valueWaiting?.currency ?? '',
        valueWaitingAmount: r.valueWaiting?.amount ?? '',
      }));
      return csvResponse(
        c,
        `demand-${deps.clock.now().toISOString().slice(0, 10)}.csv`,
        demandColumns,
        records,
      ) as never;
    }
    return c.json(await demandReport(deps, query), 200);
  });
  app.openapi(routes.daily, async (c) =>
    c.json(await dailySignups(deps, { sku: c.req.valid('param').sku, days: c.req.valid('query').days }), 200),
  );
  app.openapi(routes.deliveries, async (c) => c.json(await deliveriesReport(deps, c.req.valid('query')), 200));
  app.route('/', resultsReportRoutes(deps));
  return app;
}
