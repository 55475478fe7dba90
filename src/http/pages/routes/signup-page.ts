import { createRoute, z } from '@hono/zod-openapi';
import { safeText, Sku } from '../../../domain/validation/text.js';
import type { Deps } from '../../../deps.js';
import { getAvailability } from '../../../domain/inventory/get-availability.js';
import { withSettings } from '../../../domain/settings/effective-settings.js';
import { isAppError } from '../../../errors.js';
import { InStockPage, SignupDonePage, SignupFormPage } from '../signup.js';
import { sendPage } from '../render.js';
import { createPageRouter } from '../../router.js';

const SkuParam = z.object({ sku: Sku.openapi({ param: { name: 'sku', in: 'path' }, example: 'TEE-BLUE-M' }) });
const Locale = safeText({ max: 35 })
  .optional()
  .openapi({ description: 'Page language (en, de); else Accept-Language; else en.' });

const page = createRoute({
  method: 'get',
  path: '/signup/{sku}',
  tags: ['shoppers'],
  summary: 'Hosted signup page for one SKU (HTML)',
  request: { params: SkuParam, query: z.object({ locale: Locale }) },
  responses: { 200: { description: 'HTML page with the signup form' }, 404: { description: 'HTML page: unknown SKU' } },
});

const done = createRoute({
  method: 'get',
  path: '/signup/{sku}/done',
  tags: ['shoppers'],
  summary: 'Result page after a form signup (HTML)',
  request: {
    params: SkuParam,
    query: z.object({ status: z.enum(['pending', 'active', 'notified', 'unsubscribed']).optional(), locale: Locale }),
  },
  responses: { 200: { description: 'HTML page' }, 404: { description: 'HTML page: the SKU or query is not valid' } },
});

/** The hosted signup page and the page a form post is redirected to. Errors: pageByCode (errors.ts). */
export function signupPageRoutes(deps: Deps) {
  const app = createPageRouter({ log: deps.log, invalid: 'NOT_FOUND' });

  app.openapi(page, async (c) => {
    const d = await withSettings(deps); // waitlist count and double opt-in as the console set them
    const product = await getAvailability(d, { sku: c.req.valid('param').sku });
    if (product.status === 'in_stock') return sendPage(c, InStockPage({ ...c.var.page, product }));
    return sendPage(c, SignupFormPage({ ...c.var.page, product, doubleOptIn: d.config.signup.doubleOptIn }));
  });

  app.openapi(done, async (c) => {
    const { sku } = c.req.valid('param');
    const { m } = c.var.page;
    // The result page still thanks the shopper if the product went away meanwhile (or a bot guessed a SKU).
    const product = await getAvailability(deps, { sku }).then(
      (p) => ({ productName: p.name, productUrl: p.url }),
      (err: unknown) => {
        if (isAppError(err) && err.code === 'UNKNOWN_SKU')
          return { productName: m.t('signup.done.unknownProduct'), productUrl: null };
        throw err;
      },
    );
    return sendPage(
      c,
      SignupDonePage({ ...c.var.page, ...product, pending: c.req.valid('query').status === 'pending' }),
    );
  });

  return app;
}
