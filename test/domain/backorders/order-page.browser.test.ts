import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backorders } from '../../../src/db/schema/index.js';
import { createOrderToken } from '../../../src/domain/backorders/order-tokens.js';
import { createApp } from '../../../src/http/app.js';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { createTestDeps, INVENTORY_TOKEN, TEST_SECRET, type TestDeps } from '../../helpers/deps.js';

let deps: TestDeps;
let server: ServerType;
let base: string;
let browser: TestBrowser;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await deps.close();
});

const api = (method: string, path: string, body: unknown) =>
  app.request(path, {
    method,
    headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('order page in real Chromium (JavaScript off)', () => {
  for (const [locale, width, keep] of [
    ['en', 390, 'Keep my order'],
    ['de', 1280, 'Bestellung behalten'],
  ] as const) {
    it(`${locale} at ${width} px: shows the dates and the choice, and "keep" records it by a form post`, async () => {
      const sku = `PB-${locale}`;
      await api('PUT', `/api/v1/inventory/${sku}`, {
        quantity: 0,
        name: 'Oak standing desk, 140 cm',
        backorderable: true,
      });
      await api('POST', '/api/v1/backorders', {
        orderId: `PB-${locale}`,
        orderLabel: '#2041',
        sku,
        email: `pb-${locale}@example.com`,
        quantity: 1,
        promisedDate: '2026-03-10',
        locale,
      });
      await api('PATCH', `/api/v1/backorders/PB-${locale}/${sku}`, {
        promisedDate: '2026-04-30',
        reason: 'Supplier moved the delivery',
      });
      const [line] = await deps.db
        .select()
        .from(backorders)
        .where(eq(backorders.orderId, `PB-${locale}`));
      const page = await browser.newPage({ width, javaScriptEnabled: false });
      expect((await page.goto(`${base}/orders/${createOrderToken(TEST_SECRET, line!.id)}?choice=wait`))?.status()).toBe(
        200,
      );
      const text = await page.textContent('main');
      expect(text).toContain('#2041');
      expect(text).toContain('Supplier moved the delivery');
      await browser.screenshot(page, `order-page-${locale}-${width}`);
      await Promise.all([page.waitForURL(/\/orders\//), page.click(`button:has-text("${keep}")`)]);
      expect(await page.textContent('h1')).toMatch(locale === 'en' ? /keep your order/ : /behalten Ihre Bestellung/);
      const [after] = await deps.db.select().from(backorders).where(eq(backorders.id, line!.id));
      expect(after).toMatchObject({ status: 'open', customerAnswer: 'wait', awaitingAnswer: false });
    });
  }

  for (const width of [1280, 390]) {
    it(`an allocated line at ${width} px: cancel only, then the refund due date`, async () => {
      const sku = `PA-${width}`;
      await api('PUT', `/api/v1/inventory/${sku}`, {
        quantity: 0,
        name: 'Oak standing desk, 140 cm',
        backorderable: true,
      });
      await api('POST', '/api/v1/backorders', {
        orderId: sku,
        orderLabel: '#2042',
        sku,
        email: `pa-${width}@example.com`,
        quantity: 1,
        promisedDate: '2026-03-20',
        orderedAt: '2026-02-14T09:00:00Z',
      });
      await api('PATCH', `/api/v1/backorders/${sku}/${sku}`, { status: 'allocated' });
      const [line] = await deps.db.select().from(backorders).where(eq(backorders.orderId, sku));
      const page = await browser.newPage({ width, javaScriptEnabled: false });
      const url = `${base}/orders/${createOrderToken(TEST_SECRET, line!.id)}`;
      await page.goto(url);
      expect(await page.textContent('main')).toContain('Changed your mind?');
      await browser.screenshot(page, `order-page-allocated-${width}`);
      await Promise.all([page.waitForURL(/\/orders\//), page.click('button:has-text("Cancel and refund")')]);
      await page.goto(url);
      expect(await page.textContent('main')).toContain('Refund due by');
      await browser.screenshot(page, `order-page-cancelled-${width}`);
    });
  }
});
