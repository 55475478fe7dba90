import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import { CalendarDate } from '../../../domain/validation/text.js';
import { resultsReport, type Outcome, type ResultsReport } from '../../../domain/reports/results-report.js';
import { createRouter } from '../../router.js';
import { csvResponse, wantsCsv } from './csv.js';
import { SkuParam } from './inputs.js';
import { adminErrors, adminSecurity } from './shared.js';

const Revenue = z.object({
  currency: z.string(),
  amount: z.string().openapi({ example: '59.97' }),
  minor: z.string().openapi({ example: '5997' }),
});
const OutcomeSchema = {
  notified: z.number().int(),
  clicked: z.number().int(),
  orders: z.number().int(),
  units: z.number().int(),
  revenue: z.array(Revenue),
  conversionRate: z.number().nullable().openapi({ description: 'orders ÷ notified, 4 decimals' }),
};
const Report = z
  .object({
    from: z.string(),
    to: z.string(),
    sku: z.string().nullable(),
    totals: z.object(OutcomeSchema),
    skus: z.array(z.object({ sku: z.string(), name: z.string(), ...OutcomeSchema })),
    waves: z.array(
      z.object({
        restockEventId: z.number().int(),
        sku: z.string(),
        name: z.string(),
        waveNo: z.number().int(),
        startedAt: z.string(),
        maxRecipients: z.number().int().nullable(),
        explanation: z.string().nullable(),
        ...OutcomeSchema,
      }),
    ),
    templates: z.array(
      z.object({ templateKey: z.string(), locale: z.string(), version: z.number().int().nullable(), ...OutcomeSchema }),
    ),
    days: z.array(
      z.object({
        date: z.string(),
        notified: z.number().int(),
        clicked: z.number().int(),
        orders: z.number().int(),
        units: z.number().int(),
        revenue: z.array(Revenue),
      }),
    ),
  })
  .openapi('ResultsReport');

// The domain's calendar day (YYYY-MM-DD, 2000–2100), so the route refuses what the report would.
const Day = CalendarDate;
const route = createRoute({
  method: 'get',
  path: '/api/v1/admin/reports/results',
  tags: ['admin: reports'],
  security: adminSecurity,
  summary:
    'What notifications brought in: notified, clicked, orders, units, revenue per currency — per SKU, wave, template version; `Accept: text/csv` for CSV',
  request: {
    query: z.object({
      from: Day.optional().openapi({ description: 'first UTC day of emails sent (default: 29 days before `to`)' }),
      to: Day.optional().openapi({ description: 'last UTC day of emails sent (default: today)' }),
      sku: SkuParam.optional(),
      format: z.enum(['json', 'csv']).optional(),
    }),
  },
  responses: {
    200: {
      description: 'The report',
      content: { 'application/json': { schema: Report }, 'text/csv': { schema: z.string() } },
    },
    ...adminErrors,
  },
});

/** One CSV row per SKU and a last `(total)` row; revenue one column per currency (`revenue_EUR`), exact decimals. */
function csvRows(report: ResultsReport) {
  const currencies = [
    ...new Set([...report.totals.revenue, ...report.skus.flatMap((s) => s.revenue)].map((r) => r.currency)),
  ].sort();
  const row = (sku: string, name: string, o: Outcome) => ({
    sku,
    name,
    notified: o.notified,
    clicked: o.clicked,
    orders: o.orders,
    units: o.units,
    conversion_rate: o.conversionRate ?? '',
    ...Object.fromEntries(
      currencies.map((c) => [`revenue_${c}`, o.revenue.find((r) => r.currency === c)?.amount ?? '']),
    ),
  });
  const columns = [
    'sku',
    'name',
    'notified',
    'clicked',
    'orders',
    'units',
    'conversion_rate',
    ...currencies.map((c) => `revenue_${c}`),
  ].map((k) => ({ key: k, header: k }));
  return { columns, records: [...report.skus.map((s) => row(s.sku, s.name, s)), row('(total)', '', report.totals)] };
}

export function resultsReportRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(route, async (c) => {
    const { format: _format, ...query } = c.req.valid('query');
    const report = await resultsReport(deps, query);
    if (wantsCsv(c)) {
      const { columns, records } = csvRows(report);
      return csvResponse(c, `results-${report.from}-${report.to}.csv`, columns, records) as never;
    }
    return c.json(report, 200);
  });
  return app;
}
