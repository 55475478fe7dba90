import { randomBytes } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { inArray } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { products } from '../../db/schema/index.js';
import type { AppEnv } from '../context.js';
import { DemoPage, demoVariants } from './demo-page.js';
import type { PageCatalogue } from '../pages/messages.js';
import { buildWidgetScript, widgetStringsOf, type WidgetScript } from './widget-script.js';

const widgetRoute = createRoute({
  method: 'get',
  path: '/widget.js',
  tags: ['shoppers'],
  summary: 'Embeddable notify-me widget',
  description:
    'One `<script src="…/widget.js" data-sku="SKU" [data-locale="de"] [data-target="#css-selector"] async>` renders the notify-me ' +
    'button and form for an out-of-stock SKU, nothing for one in stock, and the expected ship date for a backorderable one. ' +
    "It talks only to this service (availability + signups; the page's origin must be in ALLOWED_ORIGINS).",
  responses: {
    200: { description: 'The script (gzip when accepted)', content: { 'text/javascript': { schema: z.string() } } },
    304: { description: 'Not modified' },
  },
});

const demoRoute = createRoute({
  method: 'get',
  path: '/demo',
  tags: ['shoppers'],
  summary: 'Fake product page with a variant picker showing the widget (HTML)',
  // Any value is accepted (one that is not a demo variant selects the default), so no input is a 400.
  request: { query: z.object({ sku: z.string().optional().openapi({ description: 'Preselected size: a demo SKU' }) }) },
  responses: { 200: { description: 'HTML page' } },
});

/**
 * GET /widget.js (built once per app from the page catalogue's `widget.*` strings, gzip and ETag
 * precomputed) and GET /demo.
 * The script is public and cached briefly so catalogue edits reach shops within minutes;
 * `Cross-Origin-Resource-Policy: cross-origin` is what lets other sites' pages load it.
 */
export function widgetRoutes(deps: Deps, pages: PageCatalogue) {
  const app = new OpenAPIHono<AppEnv>();
  let script: Promise<WidgetScript> | undefined;
  const widget = () =>
    (script ??= buildWidgetScript(widgetStringsOf(pages.locales)).catch(
      (err: unknown) => ((script = undefined), Promise.reject(err)),
    ));

  app.openapi(widgetRoute, async (c) => {
    const { body, gzip, etag } = await widget();
    const headers: Record<string, string> = {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400',
      ETag: etag,
      Vary: 'Accept-Encoding',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
    };
    if (
      c.req
        .header('if-none-match')
        ?.split(',')
        .some((t) => t.trim() === etag)
    )
      return c.body(null, 304, headers);
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      return c.body(new Uint8Array(gzip), 200, { ...headers, 'Content-Encoding': 'gzip' });
    }
    return c.body(body, 200, headers);
  });

  app.openapi(demoRoute, async (c) => {
    // A demo page is no place to show in production unless asked for (DEMO_PAGE).
    if (!deps.config.demoPage) return c.text('Not found', 404);
    const rows = await deps.db
      .select({ sku: products.sku, quantity: products.quantity, backorderable: products.backorderable })
      .from(products)
      .where(
        inArray(
          products.sku,
          demoVariants.map((v) => v.sku),
        ),
      );
    const bySku = new Map(rows.map((r) => [r.sku, r]));
    const variants = demoVariants.map((v) => ({ ...v, quantity: bySku.get(v.sku)?.quantity }));
    const backorderable = new Set(rows.filter((r) => r.backorderable).map((r) => r.sku));
    const nonce = randomBytes(16).toString('base64');
    const origin = new URL(deps.config.publicBaseUrl).origin;
    const page = DemoPage({
      widgetUrl: `${deps.config.publicBaseUrl}/widget.js`,
      // Loaded from the origin the page was opened at (127.0.0.1 vs localhost), so its API calls are
      // same-origin; PUBLIC_BASE_URL itself when that is the host asked for (its scheme survives a TLS proxy).
      scriptUrl: `${openedAt(c.req.url, deps.config.publicBaseUrl)}/widget.js`,
      variants,
      selected: c.req.valid('query').sku ?? 'DEMO-TEE-BLUE-M',
      nonce,
      backorderable,
    });
    return c.html(`<!doctype html>${String(await page)}`, 200, {
      'Content-Security-Policy': [
        "default-src 'none'",
        `script-src 'self' ${origin} 'nonce-${nonce}'`,
        `connect-src 'self' ${origin}`,
        "style-src 'unsafe-inline'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
      'Cache-Control': 'no-store',
    });
  });

  return app;
}

/** The origin a page was requested at (its Host), or PUBLIC_BASE_URL when that names the same host. */
function openedAt(requestUrl: string, publicBaseUrl: string): string {
  const asked = new URL(requestUrl);
  const configured = new URL(publicBaseUrl);
  return asked.host === configured.host ? publicBaseUrl : asked.origin;
}
