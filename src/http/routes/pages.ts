import { createHash } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { demoProducts } from '../../db/demo-products.js';
import { LandingPage } from '../pages/landing.js';
import { sendPage } from '../pages/render.js';
import { appCss, appCssVersion } from '../pages/stylesheet.js';
import { createPageRouter } from '../router.js';

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
        demo: dev ? demoProducts.filter((p) => (p.quantity ?? 0) < deps.config.restock.minQuantity).map((p) => ({ sku: p.sku, name: p.name })) : undefined,
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
  return app;
}
