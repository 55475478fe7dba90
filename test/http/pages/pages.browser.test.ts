import { serve, type ServerType } from '@hono/node-server';
import { createProduct } from '../../helpers/factories.js';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';

let deps: TestDeps;
let server: ServerType;
let base: string;
let browser: TestBrowser;

beforeAll(async () => {
  deps = await createTestDeps();
  server = serve({ fetch: createApp(deps, deps.services).fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await deps.close();
});

describe('hosted signup page in real Chromium', () => {
  for (const [width, label] of [
    [1280, 'desktop'],
    [390, 'mobile'],
  ] as const) {
    it(`${label} (${width} px), JavaScript off: loads styled, submits the form, lands on the result page`, async () => {
      const { sku, name } = await createProduct(deps, {
        name: 'Oak standing desk, 140 cm',
        eta: '2026-12-15',
        backorderable: true,
      });
      const page = await browser.newPage({ width, javaScriptEnabled: false });
      const res = await page.goto(`${base}/signup/${sku}`);
      expect(res?.status()).toBe(200);
      // The stylesheet applied (CSP allows 'self'): the button wears the accent colour.
      // (Page functions run in the browser; the project's tsconfig has no DOM lib, hence the strings.)
      const accent = await page.evaluate<string>(
        `getComputedStyle(document.querySelector('button[type=submit]')).backgroundColor`,
      );
      expect(accent).toBe('rgb(29, 78, 216)');
      // Nothing wider than the viewport (no horizontal scrolling on a phone).
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await browser.screenshot(page, `signup-${label}`);

      await page.getByLabel('Email address').fill(`browser-${label}@example.com`);
      await page.getByRole('button', { name: 'Notify me' }).click();
      await page.waitForURL(/\/done\?status=pending/);
      expect(await page.locator('h1').textContent()).toBe('Check your inbox');
      expect(await page.locator('main').textContent()).toContain(name);
      await browser.screenshot(page, `signup-done-${label}`);
    }, 60_000);
  }

  it('German page (Accept-Language) and the inline error after an invalid address, with the address kept', async () => {
    const { sku } = await createProduct(deps, { name: 'Steingut-Becher' });
    const page = await browser.newPage({ width: 390, javaScriptEnabled: false, locale: 'de-DE' });
    await page.goto(`${base}/signup/${sku}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    // An address the browser's own type=email check accepts but our validation rejects (no dot in the domain).
    await page.getByLabel('E-Mail-Adresse').fill('kunde@localhost');
    await page.getByRole('button', { name: 'Benachrichtigen' }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toBe('Steingut-Becher');
    expect(await page.locator('.field-error').textContent()).toBe(
      'Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.com.',
    );
    expect(await page.getByLabel('E-Mail-Adresse').inputValue()).toBe('kunde@localhost');
    await browser.screenshot(page, 'signup-error-de-mobile');
  }, 60_000);

  it('the start page and an error page render in the layout (screenshots for review)', async () => {
    const page = await browser.newPage({ width: 1280, javaScriptEnabled: false });
    await page.goto(`${base}/`);
    expect(await page.locator('a[href="/docs"]').count()).toBe(1);
    await browser.screenshot(page, 'landing-desktop');
    const res = await page.goto(`${base}/confirm?token=expired-or-made-up`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('This link is not valid');
    await browser.screenshot(page, 'confirm-invalid-desktop');
  }, 60_000);
});
