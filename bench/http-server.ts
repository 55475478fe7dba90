import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { serverOptions } from '../src/http/server-timeouts.js';
import { serveParent } from './lib/child.js';

/**
 * U_http, the bound of the `signup` benchmarks: a bare Hono route that parses the same JSON body and
 * answers 201 JSON, served by the same @hono/node-server setup as the service (`serve()` with the
 * service's server options), in a process of its own. No database, no middleware.
 */
const app = new Hono();
app.post('/api/v1/signups', async (c) => {
  const body = await c.req.json<{ email?: string; sku?: string }>();
  return c.json({ subscription: { id: 1, sku: body.sku, email: body.email, status: 'pending' } }, 201);
});

serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: serverOptions() }, (info: AddressInfo) => {
  serveParent({}, { port: info.port, url: `http://127.0.0.1:${info.port}` });
});
