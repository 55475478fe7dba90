import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Deps } from '../../../deps.js';
import { demoProducts } from '../../../db/demo-products.js';
import { LandingPage } from '../landing.js';
import { sendPage } from '../render.js';
import { appCss, appCssVersion } from '../stylesheet.js';
import { createPageRouter } from '../../router.js';
import { SAMPLE_IMAGE_PATH } from '../../../domain/templates/sample-image.js';

const sampleImage = readFileSync(fileURLToPath(new URL('../sample-product.png', import.meta.url)));

const cssEtag = `"${createHash('sha256').update(appCss).digest('hex').slice(0, 16)}"`;

/** `GET /` (landing page) and the pages' stylesheet. Not in the OpenAPI document: not an API. */
export function pageRoutes(deps: Deps) {
  const app = createPageRouter({ log: deps.log });
  const dev = deps.config.env === 'development';

  app.get('/', (c) =>
    sendPage(
      c,
      LandingPage({
        ...c.var.page,
        demo: dev
          ? demoProducts
              .filter((p) => (p.quantity ?? 0) < deps.config.restock.minQuantity)
              .map((p) => ({ sku: p.sku, name: p.name }))
          : undefined,
        mailboxDir: dev && deps.config.mail.kind === 'capture' ? deps.config.mail.dir : undefined,
      }),
    ),
  );

  // The layout links `?v=<hash>`, so a versioned URL can be cached for a year; without it, a day.
  app.get('/assets/app.css', (c) => {
    if (c.req.header('if-none-match') === cssEtag) return c.body(null, 304, { ETag: cssEtag });
    const immutable = c.req.query('v') === appCssVersion;
    return c.body(appCss, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=86400',
      ETag: cssEtag,
    });
  });
  // The branding's accent colour (console → Branding) as custom properties laid over app.css. The
  // colour is in the URL, so the answer never changes for a URL and may be cached for a year.
  app.get('/assets/brand.css', (c) => {
    const accent = c.req.query('accent') ?? '';
    if (!/^#[0-9a-fA-F]{6}$/.test(accent))
      return c.text('/* accent must be #rrggbb */', 400, { 'Content-Type': 'text/css; charset=utf-8' });
    return c.body(brandCss(accent), 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
  });
  // The product picture of previews and test sends with example data (see sample-image.ts).
  app.get(SAMPLE_IMAGE_PATH, (c) =>
    c.body(new Uint8Array(sampleImage), 200, {
      'Content-Type': 'image/png',
      'Cache-Control': 'public, max-age=86400',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    }),
  );
  return app;
}

/** `--accent` and its hover/contrast companions for one `#rrggbb`: text on it is white or near-black, whichever reads better (WCAG relative luminance). */
export function brandCss(accent: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(accent.slice(i, i + 2), 16) / 255) as [number, number, number];
  const lin = (v: number) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  const contrast = 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#111827';
  const darker = `#${[r, g, b]
    .map((v) =>
      Math.round(v * 255 * 0.85)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
  return `:root{--accent:${accent};--accent-hover:${darker};--accent-contrast:${contrast}}\n`;
}
