import { connect } from 'node:net';
import { createProduct } from '../helpers/factories.js';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { defaultServerTimeouts, serverOptions } from '../../src/http/server-timeouts.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps({ env: { ALLOWED_ORIGINS: 'https://shop.example' } });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

type Fetch = (path: string, init?: RequestInit) => Promise<Response>;
let server: ReturnType<typeof serve>;
let base: string;
beforeAll(async () => {
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

// Two ways in, two code paths: under @hono/node-server the request scope presets the headers on
// Node's response (the route's own override them in writeHead); under app.request() it fills them in
// afterwards. Both must give the same answer headers.
const transports: [string, () => Fetch][] = [
  ['app.request()', () => (path, init) => Promise.resolve(app.request(path, init))],
  ['HTTP (@hono/node-server)', () => (path, init) => fetch(`${base}${path}`, init)],
];

describe.each(transports)('security headers on every answer (issue 11 point 14), %s', (_, via) => {
  it('pages, JSON, errors and the API reference: nosniff, a referrer policy, no framing, a request id', async () => {
    const { sku } = await createProduct(deps);
    for (const path of [
      '/healthz',
      '/nope',
      `/signup/${sku}`,
      '/docs',
      `/api/v1/products/${sku}/availability`,
      '/demo',
      '/widget.js',
    ]) {
      const res = await via()(path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toMatch(/^(no-referrer|strict-origin-when-cross-origin)$/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-request-id'), path).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('a JSON signup and a form post: the same headers, plus CORS for an allowed origin only and Vary: Origin; a plain caller request id is kept', async () => {
    const { sku } = await createProduct(deps);
    const json = await via()('/api/v1/signups', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'shop-req-42', origin: 'https://shop.example' },
      body: JSON.stringify({ email: `frame-${Date.now()}@example.com`, sku }),
    });
    expect(json.status).toBe(201);
    const form = await via()('/api/v1/signups', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'not plain <script>' },
      body: new URLSearchParams({ email: `frame-form-${Date.now()}@example.com`, sku }).toString(),
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    expect(json.headers.get('x-request-id')).toBe('shop-req-42');
    expect(form.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    for (const res of [json, form]) {
      expect(res.headers.get('vary')).toBe('Origin');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    }
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(form.headers.get('access-control-allow-origin')).toBeNull();
    const other = await via()(`/api/v1/products/${sku}/availability`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('vary')).toBe('Origin');
  });

  it("keeps a page's own stricter choices: the signup page's CSP (with frame-ancestors) and no-referrer", async () => {
    const { sku } = await createProduct(deps);
    const res = await via()(`/signup/${sku}`);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; .*; frame-ancestors 'none'$/);
  });

  it('only the widget script is loadable by other sites (Cross-Origin-Resource-Policy)', async () => {
    expect((await via()('/widget.js')).headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect((await via()('/healthz')).headers.get('cross-origin-resource-policy')).toBe('same-site');
  });

  it('while the process drains, every answer says Connection: close', async () => {
    deps.services.lifecycle.draining = true;
    try {
      const res = await via()('/healthz', { headers: { connection: 'keep-alive' } });
      expect(res.headers.get('connection')).toBe('close');
    } finally {
      deps.services.lifecycle.draining = false;
    }
  });
});

describe('server timeouts (issue 11 point 5)', () => {
  it('the defaults are the ones the README states', () => {
    expect(defaultServerTimeouts).toEqual({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 });
    expect(serverOptions()).toMatchObject({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 });
  });

  it('a client that trickles its request is cut off with 408 instead of holding the socket', async () => {
    const server = serve({
      fetch: app.fetch,
      port: 0,
      hostname: '127.0.0.1',
      serverOptions: serverOptions({ headersMs: 500, requestMs: 1_000, keepAliveMs: 500 }),
    });
    await new Promise<void>((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    // Headers that never end: the slowloris pattern.
    socket.write('POST /api/v1/signups HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n');
    const timer = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
    await new Promise((r) => socket.once('close', r));
    clearInterval(timer);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    await new Promise((r) => server.close(r));
  });
});

describe('BODY_LIMIT_BYTES (2048 here)', () => {
  it('a body over the limit is a 413 whether its length is announced or chunked; a GET and a small body pass', async () => {
    const limited = await createTestDeps({ env: { BODY_LIMIT_BYTES: '2048' } });
    const server = serve({ fetch: createApp(limited, limited.services).fetch, port: 0, hostname: '127.0.0.1' });
    try {
      await new Promise<void>((r) => server.once('listening', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/signups`;
      const big = JSON.stringify({ email: 'big@example.com', sku: 'X', source: 'x'.repeat(4000) });
      const announced = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      });
      expect(announced.status).toBe(413);
      expect(((await announced.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
      // A stream body goes out chunked (no Content-Length): the limit counts the bytes as they arrive.
      const chunked = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Blob([big]).stream(),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      const small = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Blob([JSON.stringify({ email: 'small@example.com', sku: 'NOPE-1' })]).stream(),
        duplex: 'half',
      } as RequestInit);
      expect(small.status).toBe(404); // read in full and validated: an unknown SKU
      expect((await fetch(url.replace('/api/v1/signups', '/healthz'))).status).toBe(200);
    } finally {
      await new Promise((r) => server.close(r));
      await limited.close();
    }
  });
});
