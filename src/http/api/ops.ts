import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { rows } from '../../db/client.js';
import { migrationCount, pendingMigrations } from '../../db/migrate.js';
import type { Lifecycle } from '../../runtime/lifecycle.js';
import type { AppEnv } from '../context.js';

const require = createRequire(import.meta.url);
const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));
const swaggerAssets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Process is alive',
  responses: {
    200: { description: 'alive', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } },
  },
});

const Ready = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.boolean(),
  pendingMigrations: z.number().int(),
  draining: z.boolean(),
});
const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['operations'],
  summary: 'Database reachable, migrations applied and not shutting down',
  responses: {
    200: { description: 'ready', content: { 'application/json': { schema: Ready } } },
    503: { description: 'not ready', content: { 'application/json': { schema: Ready } } },
  },
});

/** Liveness, readiness, the OpenAPI document and its rendered reference (served from our own assets). */
export function opsRoutes(deps: Deps, lifecycle: Lifecycle = { draining: false }) {
  const app = new OpenAPIHono<AppEnv>();
  const expectedMigrations = migrationCount();

  app.openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200));

  app.openapi(readyz, async (c) => {
    let database = true;
    let pending = expectedMigrations;
    try {
      await rows(deps.db, sql`select 1 as ok`);
      pending = await pendingMigrations(deps.db, expectedMigrations);
    } catch {
      database = false;
    }
    // Draining (SIGTERM): a load balancer must stop sending new requests here.
    const draining = lifecycle.draining;
    const ready = database && pending === 0 && !draining;
    return c.json(
      { status: ready ? ('ready' as const) : ('not_ready' as const), database, pendingMigrations: pending, draining },
      ready ? 200 : 503,
    );
  });

  app.get('/docs', (c) =>
    c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>restock-notifier API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="api"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api', deepLinking: true });</script>
</body></html>`),
  );

  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = swaggerAssets[file];
    if (!type) return c.notFound();
    const body = await readFile(join(swaggerDir, file));
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });

  return app;
}
