import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoProducts } from '../../../src/db/demo-products.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

describe('GET /widget.js', () => {
  it('is JavaScript that other sites may load, cached briefly, with an ETag that answers 304', async () => {
    const res = await app.request('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await app.request('/widget.js', { headers: { 'if-none-match': etag as string } });
    expect(again.status).toBe(304);
  });

  it('embeds the English and German strings from templates/pages and makes no request to another host', async () => {
    const body = await (await app.request('/widget.js')).text();
    expect(body).toContain('Notify me when it’s back');
    expect(body).toContain('Bei Verfügbarkeit benachrichtigen');
    expect(body).not.toContain('/*STRINGS*/');
    // Only relative API paths: every request goes to the origin the script was loaded from.
    expect(body.match(/https?:\/\/[^\s"'`)]+/g) ?? []).toEqual(['https://notify.example/widget.js']);
  });

  it('is served gzipped when accepted, and stays under 15 KB gzipped', async () => {
    const res = await app.request('/widget.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const gz = Buffer.from(await res.arrayBuffer());
    expect(gz.byteLength).toBeLessThan(15 * 1024);
    const plain = await (await app.request('/widget.js')).text();
    expect(gunzipSync(gz).toString('utf8')).toBe(plain);
  });
});

describe('GET /demo', () => {
  it('is a product page with a size picker over the demo SKUs and the widget script tag, under a CSP with a nonce', async () => {
    await seedDemoProducts(deps.db);
    const res = await app.request('https://shop.example/demo?sku=DEMO-TEE-BLUE-L');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const page = await res.text();
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain(`<script nonce="${nonce}">`);
    expect(page).toContain(
      '<script id="restock-widget" src="https://shop.example/widget.js" data-sku="DEMO-TEE-BLUE-L" async',
    );
    for (const sku of ['DEMO-TEE-BLUE-S', 'DEMO-TEE-BLUE-M', 'DEMO-TEE-BLUE-L'])
      expect(page).toContain(`value="${sku}"`);
    expect(page).toContain('Available on backorder');
  });
});
