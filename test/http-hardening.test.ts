import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { defaultServerTimeouts, serverOptions } from '../src/http/server-timeouts.js';
import { createTestDeps, type TestDeps } from './helpers/deps.js';
import { addProduct } from './helpers/signup-fixtures.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.runtime);
});
afterAll(() => deps.close());

describe('security headers on every answer (issue 11 point 14)', () => {
  it('pages, JSON, errors and the API reference: nosniff, a referrer policy, no framing', async () => {
    const { sku } = await addProduct(deps);
    for (const path of ['/healthz', '/nope', `/signup/${sku}`, '/docs', `/api/v1/products/${sku}/availability`, '/demo']) {
      const res = await app.request(path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toMatch(/^(no-referrer|strict-origin-when-cross-origin)$/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
  });

  it("keeps a page's own stricter choices: the signup page's CSP and no-referrer stay, frame-ancestors is added", async () => {
    const { sku } = await addProduct(deps);
    const res = await app.request(`/signup/${sku}`);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; .*; frame-ancestors 'none'$/);
  });

  it('only the widget script is loadable by other sites (Cross-Origin-Resource-Policy)', async () => {
    expect((await app.request('/widget.js')).headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect((await app.request('/healthz')).headers.get('cross-origin-resource-policy')).toBe('same-site');
  });
});

describe('server timeouts (issue 11 point 5)', () => {
  it('the defaults are the ones the README states', () => {
    expect(defaultServerTimeouts).toEqual({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 });
    expect(serverOptions()).toMatchObject({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 });
  });

  it('a client that trickles its request is cut off with 408 instead of holding the socket', async () => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: serverOptions({ headersMs: 500, requestMs: 1_000, keepAliveMs: 500 }) });
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
    const server = serve({ fetch: createApp(limited, limited.runtime).fetch, port: 0, hostname: '127.0.0.1' });
    try {
      await new Promise<void>((r) => server.once('listening', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/signups`;
      const big = JSON.stringify({ email: 'big@example.com', sku: 'X', source: 'x'.repeat(4000) });
      const announced = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
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
      const small = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Blob([JSON.stringify({ email: 'small@example.com', sku: 'NOPE-1' })]).stream(), duplex: 'half' } as RequestInit);
      expect(small.status).toBe(404); // read in full and validated: an unknown SKU
      expect((await fetch(url.replace('/api/v1/signups', '/healthz'))).status).toBe(200);
    } finally {
      await new Promise((r) => server.close(r));
      await limited.close();
    }
  });
});
