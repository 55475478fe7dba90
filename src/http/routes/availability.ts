import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { getAvailability } from '../../domain/inventory/get-availability.js';
import { createRouter } from '../app.js';

const Availability = z
  .object({
    sku: z.string(),
    name: z.string(),
    status: z.enum(['in_stock', 'out_of_stock', 'backorder']),
    eta: z.string().nullable().openapi({ description: 'Expected date (YYYY-MM-DD) while not in stock' }),
    etaReason: z.string().nullable(),
  })
  .openapi('Availability');

const route = createRoute({
  method: 'get',
  path: '/api/v1/products/{sku}/availability',
  tags: ['shoppers'],
  summary: 'Stock status and ETA of a SKU (for the widget)',
  request: { params: z.object({ sku: z.string().min(1).max(200).openapi({ param: { name: 'sku', in: 'path' }, example: 'TEE-BLUE-M' }) }) },
  responses: {
    200: { description: 'Availability', content: { 'application/json': { schema: Availability } } },
    404: { description: 'UNKNOWN_SKU' },
  },
});

/** Public, read-only: product pages on the shop's own domain call it, hence CORS `*`. */
export function availabilityRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(route, async (c) => {
    c.header('Cache-Control', 'public, max-age=15');
    return c.json(await getAvailability(deps, c.req.valid('param').sku), 200);
  });
  return app;
}
