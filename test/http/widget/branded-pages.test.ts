import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct } from '../../helpers/factories.js';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../../src/http/app.js';
import { brandCss } from '../../../src/http/pages/routes/page-assets.js';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { ADMIN_TOKEN, createTestDeps, type TestDeps } from '../../helpers/deps.js';

/** Issue 12 point 3: the hosted pages look like the shop — the console's branding on every page. */
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

const branding = {
  shopName: 'Northwind Outfitters',
  logoUrl: 'https://cdn.northwind.example/logo.png',
  accentColor: '#0a7c59',
  footerText: null,
  privacyText: 'We keep your address only for this alert. Privacy policy: northwind.example/privacy',
  shopUrl: 'https://northwind.example/',
};

async function putBranding(body: Record<string, unknown>) {
  const res = await app.request('/api/v1/admin/branding', {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

describe('branding on the hosted pages', () => {
  it('without branding: the shop name as text, no logo, no brand stylesheet', async () => {
    const { sku } = await createProduct(deps, {});
    const page = await (await app.request(`/signup/${sku}`)).text();
    expect(page).toContain('<span class="brand">');
    expect(page).not.toContain('brand-logo');
    expect(page).not.toContain('/assets/brand.css');
  });

  it('logo (alt = shop name) linking back to the shop, accent stylesheet, privacy line — on the signup, error and landing pages', async () => {
    await putBranding(branding);
    const { sku } = await createProduct(deps, {});
    for (const path of [`/signup/${sku}`, '/confirm?token=nope', '/']) {
      const page = await (await app.request(path)).text();
      expect(page, path).toContain(
        '<a class="brand-link" href="https://northwind.example/"><img class="brand-logo" src="https://cdn.northwind.example/logo.png" alt="Northwind Outfitters"/></a>',
      );
      expect(page, path).toContain('/assets/brand.css?accent=%230a7c59');
      expect(page, path).toContain('Privacy policy: northwind.example/privacy');
    }
    const css = await app.request('/assets/brand.css?accent=%230a7c59');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('--accent:#0a7c59');
    expect((await app.request('/assets/brand.css?accent=red;}body{display:none')).status).toBe(400);
  });

  it('text on the accent is white on dark colours and near-black on light ones', () => {
    expect(brandCss('#0a7c59')).toContain('--accent-contrast:#ffffff');
    expect(brandCss('#ffd60a')).toContain('--accent-contrast:#111827');
  });

  it('looks like the shop in Chromium at 1280 and 390 px (screenshots in test-results/)', async () => {
    await putBranding({ ...branding, logoUrl: null });
    const { sku } = await createProduct(deps, { name: 'Canvas rucksack, olive' });
    const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let browser: TestBrowser | undefined;
    try {
      browser = await launchBrowser();
      for (const width of [1280, 390]) {
        const page = await browser.newPage({ width });
        await page.goto(`${base}/signup/${sku}`);
        const accent = await page
          .locator('button[type=submit]')
          .evaluate(
            (el) =>
              (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(
                el,
              ).backgroundColor,
          );
        expect(accent).toBe('rgb(10, 124, 89)');
        await browser.screenshot(page, `branded-signup-${width}`);
      }
    } finally {
      await browser?.close();
      server.close();
    }
  });
});
