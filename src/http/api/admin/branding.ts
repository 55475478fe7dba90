import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import { getBranding } from '../../../domain/branding/get-branding.js';
import { updateBranding } from '../../../domain/branding/update-branding.js';
import { uploadLogo } from '../../../domain/branding/upload-logo.js';
import { AppError } from '../../../errors.js';
import { errorResponses } from '../../openapi.js';
import { searchProducts } from '../../../domain/reports/search-products.js';
import { limit, line, lines } from './inputs.js';
import { createRouter } from '../../router.js';
import { adminErrors, adminSecurity, json, jsonBody, principalOf } from './shared.js';

const Branding = z
  .object({
    shopName: z.string(),
    logoUrl: z
      .string()
      .nullable()
      .openapi({ description: 'The logo in use: the https URL set here, else the uploaded image on this service' }),
    logoSource: z.enum(['url', 'upload']).nullable(),
    accentColor: z.string().nullable().openapi({ example: '#1d4ed8' }),
    footerText: z.string().nullable(),
    privacyText: z.string().nullable(),
    shopUrl: z.string().nullable(),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .openapi('Branding');

const BrandingPut = z
  .object({
    shopName: line(100).nullable().optional(),
    logoUrl: line(2000).nullable().optional(),
    accentColor: line(20).nullable().optional(),
    footerText: lines(1000).nullable().optional(),
    privacyText: lines(2000).nullable().optional(),
    shopUrl: line(2000).nullable().optional(),
  })
  .openapi('BrandingInput', {
    description:
      'The whole settings row: an omitted or empty field is cleared (shopName then falls back to SHOP_NAME).',
  });

const Product = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int(),
  eta: z.string().nullable(),
  imageUrl: z.string().nullable(),
  url: z.string().nullable(),
});

const routes = {
  get: createRoute({
    method: 'get',
    path: '/api/v1/admin/branding',
    tags: ['admin: branding'],
    security: adminSecurity,
    summary: 'Branding used by every email and hosted page',
    responses: { 200: json(Branding, 'Branding'), ...adminErrors },
  }),
  put: createRoute({
    method: 'put',
    path: '/api/v1/admin/branding',
    tags: ['admin: branding'],
    security: adminSecurity,
    summary: 'Replace the branding (URLs http(s), accent colour #rgb/#rrggbb)',
    request: jsonBody(BrandingPut),
    responses: { 200: json(Branding, 'Saved'), ...adminErrors },
  }),
  logo: createRoute({
    method: 'post',
    path: '/api/v1/admin/branding/logo',
    tags: ['admin: branding'],
    security: adminSecurity,
    summary: 'Upload the logo (PNG, JPEG or WebP, at most 512 KB); served by the service, used by every email and page',
    description:
      'The image as the raw body (`Content-Type: image/png`, `image/jpeg`, `image/webp`) or as the `logo` field ' +
      'of a `multipart/form-data` form. ' +
      'The type is read from the file’s first bytes; a logo URL set before is cleared.',
    // No request schema on purpose: the route's validator would parse the body as a form; the bytes
    // are read and sniffed by the handler (a PNG, JPEG or WebP whatever Content-Type says).
    responses: {
      200: json(Branding, 'Saved'),
      ...errorResponses(413, [415, 'not a PNG, JPEG or WebP image']),
      ...adminErrors,
    },
  }),
  products: createRoute({
    method: 'get',
    path: '/api/v1/admin/products',
    tags: ['admin: templates'],
    security: adminSecurity,
    summary: 'Search products by SKU or name (preview with a real product)',
    request: { query: z.object({ q: line(200).optional().default(''), limit: limit(20, 100) }) },
    responses: { 200: json(z.object({ products: z.array(Product) }), 'Matches'), ...adminErrors },
  }),
};

/** The uploaded file: the multipart form's `logo` (or first file) field, else the raw body. */
async function logoBytes(req: Request): Promise<Uint8Array> {
  if (/^multipart\/form-data/i.test(req.headers.get('content-type') ?? '')) {
    const form = await req.formData().catch(() => {
      throw new AppError('BAD_REQUEST', 'The form could not be read.');
    });
    const file = form.get('logo') ?? [...form.values()].find((v) => typeof v !== 'string');
    if (!file || typeof file === 'string')
      throw new AppError('VALIDATION', 'Attach the image as the form field "logo".');
    return new Uint8Array(await file.arrayBuffer());
  }
  return new Uint8Array(await req.arrayBuffer());
}

/** `onPageChange`: the hosted pages show the shop name, so they reload their settings after a change. */
export function adminBrandingRoutes(deps: Deps, options: { onPageChange: () => void }) {
  const app = createRouter();
  app.openapi(routes.get, async (c) => c.json(await getBranding(deps), 200));
  app.openapi(routes.put, async (c) => {
    const saved = await updateBranding(deps, { by: principalOf(c).by, branding: c.req.valid('json') });
    options.onPageChange();
    return c.json(saved, 200);
  });
  app.openapi(routes.logo, async (c) => {
    const bytes = await logoBytes(c.req.raw);
    const saved = await uploadLogo(deps, { by: principalOf(c).by, bytes });
    options.onPageChange();
    return c.json(saved, 200);
  });
  app.openapi(routes.products, async (c) => {
    const { q, limit } = c.req.valid('query');
    return c.json({ products: await searchProducts(deps, { q: q.trim(), limit }) }, 200);
  });
  return app;
}
