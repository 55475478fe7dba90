import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { createRuntime } from '../src/runtime/index.js';
import { createApp } from '../src/http/app.js';
import { serveParent } from './lib/child.js';

/**
 * The HTTP side of the `signup` benchmark, one process per measurement:
 * - BENCH_SERVER=app: the service's own app (config from the environment, real PostgreSQL);
 * - BENCH_SERVER=bare: U_http — a bare Hono route that parses the same JSON body and answers 201 JSON,
 *   served by the same @hono/node-server setup. No database, no middleware.
 */
const mode = process.env.BENCH_SERVER ?? 'app';

let fetchHandler: (req: Request) => Response | Promise<Response>;
let groupCommit: { batches: number; items: number } = { batches: 0, items: 0 };
if (mode === 'bare') {
  const app = new Hono();
  app.post('/api/v1/signups', async (c) => {
    const body = await c.req.json<{ email?: string; sku?: string }>();
    return c.json({ subscription: { id: 1, sku: body.sku, email: body.email, status: 'pending' } }, 201);
  });
  fetchHandler = app.fetch;
} else {
  const config = loadConfig(process.env);
  const deps = await createDeps({ ...config, appSecret: config.appSecret ?? 'bench-secret-0123456789-abcdefghijklmnop' });
  const runtime = createRuntime(deps);
  groupCommit = runtime.signups.stats;
  fetchHandler = createApp(deps, runtime).fetch;
}

const server = serve({ fetch: fetchHandler, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  serveParent(
    {
      rss: () => ({ maxRssKb: process.resourceUsage().maxRSS }),
      groupCommit: () => ({ ...groupCommit }),
    },
    { port: info.port, url: `http://127.0.0.1:${info.port}` },
  );
});
void server;
