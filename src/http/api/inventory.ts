import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { applyInventoryBatch, MAX_BATCH_ROWS } from '../../domain/inventory/apply-inventory-batch.js';
import { applyInventoryChanges } from '../../domain/inventory/apply-inventory-changes.js';
import { patchInventory } from '../../domain/inventory/patch-inventory.js';
import { InventoryInput, InventoryRow, Sku } from '../../domain/inventory/inventory-input.js';
import { parseInventoryCsv } from '../../domain/inventory/parse-inventory-csv.js';
import { AppError } from '../../errors.js';
import { countBatch, inventoryResult } from '../../domain/inventory/inventory-metrics.js';
import { errorResponses } from '../openapi.js';
import { createRouter } from '../router.js';
import { requireScope } from '../auth.js';

const Product = z
  .object({
    sku: z.string(),
    name: z.string(),
    url: z.string().nullable(),
    imageUrl: z.string().nullable(),
    quantity: z.number().int(),
    backorderable: z.boolean(),
    eta: z.string().nullable(),
    etaReason: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('Product');
const Outcome = z.enum(['created', 'updated', 'unchanged', 'stale']);

const putRoute = createRoute({
  method: 'put',
  path: '/api/v1/inventory/{sku}',
  tags: ['inventory'],
  summary: 'Set the stock of one SKU (upserts the product, records history)',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ sku: Sku.openapi({ param: { name: 'sku', in: 'path' }, example: 'TEE-BLUE-M' }) }),
    body: { required: true, content: { 'application/json': { schema: InventoryInput.openapi('InventoryUpdate') } } },
  },
  responses: {
    200: {
      description: 'Applied (or nothing changed)',
      content: { 'application/json': { schema: z.object({ outcome: Outcome, product: Product }) } },
    },
    ...errorResponses(400, [401, 'missing or unknown token'], [403, 'token without scope inventory'], 413, [
      415,
      'not JSON',
    ]),
  },
});

const InventoryPatch = InventoryInput.partial()
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'send at least one field')
  .openapi('InventoryPatch');

const patchRoute = createRoute({
  method: 'patch',
  path: '/api/v1/inventory/{sku}',
  tags: ['inventory'],
  summary: 'Partial update of a known SKU (any subset of the PUT fields, e.g. only eta + etaReason)',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ sku: Sku.openapi({ param: { name: 'sku', in: 'path' }, example: 'TEE-BLUE-M' }) }),
    body: { required: true, content: { 'application/json': { schema: InventoryPatch } } },
  },
  responses: {
    200: {
      description: 'Applied (or nothing changed)',
      content: { 'application/json': { schema: z.object({ outcome: Outcome, product: Product }) } },
    },
    ...errorResponses(
      400,
      [401, 'missing or unknown token'],
      [403, 'token without scope inventory'],
      [404, 'unknown SKU'],
    ),
  },
});

const BatchSummary = z
  .object({
    received: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    errors: z.array(
      z.object({
        row: z.number().int().openapi({ description: 'Data row, from 1 (the CSV header is not counted)' }),
        line: z.number().int().optional().openapi({ description: 'CSV only: line of the file where the row ends' }),
        sku: z.string().optional(),
        errors: z.array(z.object({ path: z.string(), message: z.string() })),
      }),
    ),
  })
  .openapi('InventoryBatchSummary');

const bulkRoute = createRoute({
  method: 'post',
  path: '/api/v1/inventory',
  tags: ['inventory'],
  summary: `Bulk update: a JSON array or text/csv with a header row (≤ ${MAX_BATCH_ROWS} rows)`,
  description:
    'Each row is validated on its own; bad rows are reported with their row number and skipped, good rows are applied in one transaction. ' +
    'CSV columns: sku, quantity, name, url, image_url, eta, eta_reason, backorderable, reason (header names are case-, `_`- and `-`-insensitive; unknown columns are ignored). ' +
    'In CSV an empty eta/eta_reason/url/image_url cell clears the value; other empty cells mean "not given".',
  security: [{ bearer: [] }],
  request: {
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z.array(z.unknown()).openapi({ items: InventoryRow.openapi('InventoryRow') as never }),
        },
        'text/csv': {
          schema: z.string().openapi({ example: 'sku,quantity,eta\nTEE-BLUE-M,12,\nMUG-RED,0,2026-04-01' }),
        },
      },
    },
  },
  responses: {
    200: { description: 'Summary with per-row errors', content: { 'application/json': { schema: BatchSummary } } },
    ...errorResponses(
      [400, 'not an array, unparsable CSV, or no sku column'],
      [401, 'missing or unknown token'],
      [403, 'token without scope inventory'],
      [413, `more than ${MAX_BATCH_ROWS} rows or over the body limit`],
      415,
    ),
  },
});

/** Inventory intake over the REST API (scope `inventory`). */
export function inventoryRoutes(deps: Deps) {
  const app = createRouter();
  app.use('/api/v1/inventory', requireScope(deps, 'inventory'));
  app.use('/api/v1/inventory/*', requireScope(deps, 'inventory'));

  app.openapi(putRoute, async (c) => {
    const { sku } = c.req.valid('param');
    const body = c.req.valid('json');
    const [result] = await applyInventoryChanges(deps, { changes: [{ ...body, sku }], source: 'api' });
    c.var.metrics.inventoryUpdates.inc({ source: 'api', result: inventoryResult(result!.outcome) });
    return c.json({ outcome: result!.outcome, product: result!.product }, 200);
  });

  app.openapi(patchRoute, async (c) => {
    const { sku } = c.req.valid('param');
    const result = await patchInventory(deps, { ...c.req.valid('json'), sku });
    return c.json({ outcome: result.outcome, product: result.product }, 200);
  });

  app.openapi(bulkRoute, async (c) => {
    const type = c.req.header('content-type') ?? '';
    let rows: { row: number; line?: number; value: unknown }[];
    if (/^text\/(csv|plain)/i.test(type)) {
      rows = parseInventoryCsv(await c.req.text()).records;
    } else if (/^application\/(.+\+)?json/i.test(type)) {
      rows = (c.req.valid('json') as unknown[]).map((value, i) => ({ row: i + 1, value }));
    } else {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send a JSON array (application/json) or CSV (text/csv).');
    }
    const summary = await applyInventoryBatch(deps, { rows, source: 'bulk' });
    countBatch(c.var.metrics, 'bulk', summary);
    return c.json(summary, 200);
  });
  return app;
}
