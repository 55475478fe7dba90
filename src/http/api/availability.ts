import { createRoute, z } from '@hono/zod-openapi';
import { Sku } from '../../domain/validation/text.js';
import type { Deps } from '../../deps.js';
import { getAvailability } from '../../domain/inventory/get-availability.js';
import { withSettings } from '../../domain/settings/effective-settings.js';
import { errorResponses } from '../openapi.js';
import { createRouter } from '../router.js';

const Availability = z
  .object({
    sku: z.string(),
    name: z.string(),
    url: z.string().nullable().openapi({ description: 'The product page on the shop, when known' }),
    status: z.enum(['in_stock', 'out_of_stock', 'backorder']),
    eta: z.string().nullable().openapi({ description: 'Expected date (YYYY-MM-DD) while not in stock' }),
    etaReason: z.string().nullable(),
    imageUrl: z.string().nullable().openapi({ description: 'Product image, when known' }),
    waiting: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Confirmed shoppers waiting (only with SHOW_WAITLIST_COUNT, while not in stock)' }),
  })
  .openapi('Availability');

const route = createRoute({
  method: 'get',
  path: '/api/v1/products/{sku}/availability',
  tags: ['shoppers'],
  summary: 'Stock status and ETA of a SKU (for the widget)',
  request: { params: z.object({ sku: Sku.openapi({ param: { name: 'sku', in: 'path' }, example: 'TEE-BLUE-M' }) }) },
  responses: {
    200: { description: 'Availability', content: { 'application/json': { schema: Availability } } },
    ...errorResponses(400, 404),
  },
});

/** Public, read-only: storefront pages call it from the browser (CORS per `ALLOWED_ORIGINS`, see cors.ts). */
export function availabilityRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(route, async (c) => {
    c.header('Cache-Control', 'public, max-age=15');
    return c.json(await getAvailability(await withSettings(deps), { sku: c.req.valid('param').sku }), 200);
  });
  return app;
}
