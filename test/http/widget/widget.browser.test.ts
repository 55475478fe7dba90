import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoProducts } from '../../../src/db/demo-products.js';
import { products, subscriptions } from '../../../src/db/schema/index.js';
import { createApp } from '../../../src/http/app.js';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { uniqueEmail } from '../../helpers/signup-fixtures.js';
import { createProduct } from '../../helpers/factories.js';

/**
 * The widget as a shop uses it: the service on one origin, product pages on OTHER origins (plain
 * HTTP servers on their own ports), a real Chromium in between. One shop origin is in
 * ALLOWED_ORIGINS, the other is not.
 */
let deps: TestDeps;
let browser: TestBrowser;
let api: ServerType;
let apiUrl = '';
let shop: { server: Server; origin: string };
let stranger: { server: Server; origin: string };
const skus = { out: '', inStock: '', backorder: '', popular: '' };

const isoInDays = (days: number) => new Date(Date.now() + days * 864e5).toISOString().slice(0, 10);
const spoken = (iso: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );
const etaOut = isoInDays(40);
const etaBackorder = isoInDays(45);

/** A storefront page: `/product?sku=…&lang=…` carries the one script tag; `/demo` is the service's demo page. */
function startShop(): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://shop');
    if (url.pathname === '/demo') {
      const demo = await fetch(`${apiUrl}/demo${url.search}`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(await demo.text());
      return;
    }
    const sku = url.searchParams.get('sku') ?? '';
    const lang = url.searchParams.get('lang') ?? 'en';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shop</title><style>body{font-family:Georgia,serif;margin:2rem;color:#222}</style></head>
<body><h1>A product</h1><p>Some description of the product.</p>
<script id="w" src="${apiUrl}/widget.js" data-sku="${sku}" async></script>
<footer><p>Footer</p></footer></body></html>`);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

beforeAll(async () => {
  shop = await startShop();
  stranger = await startShop();
  deps = await createTestDeps({
    env: { ALLOWED_ORIGINS: shop.origin, DOUBLE_OPT_IN: 'true', SHOW_WAITLIST_COUNT: 'true' },
  });
  let app: ReturnType<typeof createApp> | undefined;
  api = serve({ fetch: (req) => app!.fetch(req), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => api.once('listening', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  deps.config.publicBaseUrl = apiUrl;
  app = createApp(deps, deps.services);
  skus.out = (await createProduct(deps, { eta: etaOut })).sku;
  skus.inStock = (await createProduct(deps, { quantity: 8 })).sku;
  skus.backorder = (await createProduct(deps, { backorderable: true, eta: etaBackorder })).sku;
  skus.popular = (
    await createProduct(deps, {
      name: 'Linen shirt',
      imageUrl:
        'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 10 10%22%3E%3Crect width=%2210%22 height=%2210%22 fill=%22%23c7a27c%22/%3E%3C/svg%3E',
      url: `${shop.origin}/product?sku=popular`,
    })
  ).sku;
  await deps.db.insert(subscriptions).values(
    ['a', 'b', 'c'].map((x) => ({
      email: `${x}-waiting@example.com`,
      emailNormalized: `${x}-waiting@example.com`,
      sku: skus.popular,
      status: 'active' as const,
    })),
  );
  await seedDemoProducts(deps.db);
  await deps.db.update(products).set({ eta: etaBackorder }).where(eq(products.sku, 'DEMO-TEE-BLUE-L'));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => api?.close(r));
  await Promise.all([shop, stranger].map((s) => new Promise((r) => s?.server.close(r))));
  await deps?.close();
});

async function openProduct(
  origin: string,
  sku: string,
  options: { lang?: string; width?: number } = {},
): Promise<Page> {
  const page = await browser.newPage({ width: options.width ?? 1280, height: 800 });
  await page.goto(`${origin}/product?sku=${encodeURIComponent(sku)}&lang=${options.lang ?? 'en'}`);
  return page;
}

const widgetState = (page: Page, state: string) =>
  page.waitForSelector(`.restock-notifier[data-state="${state}"]`, { state: 'attached' });
// Browser-side expressions are strings: this project's TypeScript has no DOM lib.
const shadow = `document.querySelector('.restock-notifier').shadowRoot`;
const shadowActive = (page: Page) =>
  page.evaluate<string | undefined>(
    `(() => { const a = ${shadow}.activeElement; return a?.getAttribute('name') ?? a?.className; })()`,
  );

describe('the widget on a storefront of another origin', () => {
  it('out of stock: shows the expected date, opens the form with focus on the email, rejects a bad address inline, signs up and announces the result', async () => {
    const page = await browser.newPage({ width: 1280, height: 800 });
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).origin));
    await page.goto(`${shop.origin}/product?sku=${skus.out}`);
    await widgetState(page, 'out_of_stock');
    const host = page.locator('.restock-notifier');
    expect(await host.locator('.eta').textContent()).toBe(`Expected back around ${spoken(etaOut, 'en-GB')}`);
    const toggle = host.locator('button.toggle');
    expect(await toggle.textContent()).toBe('Notify me when it’s back');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await browser.screenshot(page, 'widget-closed-1280');

    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await shadowActive(page)).toBe('email');
    expect(await host.locator('label').textContent()).toBe('Your email address');

    await page.keyboard.press('Escape');
    expect(await host.locator('form').isVisible()).toBe(false);
    expect(await shadowActive(page)).toBe('toggle');
    await toggle.click();

    await host.locator('input[name=email]').fill('not-an-address');
    await host.locator('button[type=submit]').click();
    const status = host.locator('[role=status]');
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect(await status.textContent()).toBe('Please enter a valid email address.');
    expect(await host.locator('input[name=email]').getAttribute('aria-invalid')).toBe('true');
    expect(await host.locator('input[name=email]').inputValue()).toBe('not-an-address');
    await browser.screenshot(page, 'widget-invalid-1280');

    const email = uniqueEmail('widget');
    await host.locator('input[name=email]').fill(email);
    await host.locator('button[type=submit]').click();
    await page.waitForFunction(`${shadow}.querySelector('form').hidden === true`);
    expect(await status.textContent()).toBe('Almost done: check your inbox and confirm your address.');
    expect(await shadowActive(page)).toBe('msg');
    await browser.screenshot(page, 'widget-done-1280');
    const [row] = await deps.db.select().from(subscriptions).where(eq(subscriptions.email, email));
    expect(row).toMatchObject({ sku: skus.out, status: 'pending', source: 'widget', locale: 'en' });
    // No third-party request: only the shop's page and this service were contacted.
    expect([...new Set(requested)].sort()).toEqual([shop.origin, apiUrl].sort());
    await page.close();
  });

  it('at 390 px the button and form fill the width; German on a lang="de" page', async () => {
    const page = await openProduct(shop.origin, skus.out, { lang: 'de', width: 390 });
    await widgetState(page, 'out_of_stock');
    const host = page.locator('.restock-notifier');
    expect(await host.locator('.eta').textContent()).toBe(
      `Voraussichtlich ab etwa ${spoken(etaOut, 'de')} wieder verfügbar`,
    );
    await host.locator('button.toggle').click();
    await browser.screenshot(page, 'widget-open-de-390');
    const toggleBox = await host.locator('button.toggle').boundingBox();
    const submitBox = await host.locator('button[type=submit]').boundingBox();
    expect(toggleBox!.width).toBeGreaterThan(300);
    expect(submitBox!.width).toBeGreaterThan(250);
    expect(await host.locator('button[type=submit]').textContent()).toBe('Benachrichtigen');
    await page.close();
  });

  it('in stock: renders nothing', async () => {
    const page = await openProduct(shop.origin, skus.inStock);
    await widgetState(page, 'in_stock');
    expect(await page.locator('.restock-notifier').isVisible()).toBe(false);
    expect(await page.evaluate(`${shadow}.querySelector('.box').childElementCount`)).toBe(0);
    await page.close();
  });

  it('backorderable: "Order now — ships around <date>", localised by data-locale over the page lang', async () => {
    const page = await openProduct(shop.origin, skus.backorder);
    await widgetState(page, 'backorder');
    const host = page.locator('.restock-notifier');
    expect(await host.locator('.order').textContent()).toBe(
      `Order now — ships around ${spoken(etaBackorder, 'en-GB')}`,
    );
    expect(await host.locator('button').count()).toBe(0);
    await browser.screenshot(page, 'widget-backorder-1280');
    await page.evaluate(`document.getElementById('w').dataset.locale = 'de'`);
    await page.waitForFunction(`/Jetzt bestellen/.test(${shadow}.textContent)`);
    expect(await host.locator('.order').textContent()).toBe(
      `Jetzt bestellen — Versand voraussichtlich um den ${spoken(etaBackorder, 'de')}`,
    );
    await page.close();
  });

  it('follows data-sku when a variant picker changes it', async () => {
    const page = await openProduct(shop.origin, skus.inStock);
    await widgetState(page, 'in_stock');
    const setSku = (sku: string) => page.evaluate(`document.getElementById('w').dataset.sku = ${JSON.stringify(sku)}`);
    await setSku(skus.out);
    await widgetState(page, 'out_of_stock');
    expect(await page.locator('.restock-notifier button.toggle').isVisible()).toBe(true);
    await setSku(skus.backorder);
    await widgetState(page, 'backorder');
    expect(await page.locator('.restock-notifier button').count()).toBe(0);
    await setSku(skus.inStock);
    await widgetState(page, 'in_stock');
    expect(await page.locator('.restock-notifier').isVisible()).toBe(false);
    await page.close();
  });

  it("a refused origin: one console.warn naming ALLOWED_ORIGINS and the page's origin (issue 21 point 7)", async () => {
    const page = await browser.newPage({ width: 1280, height: 800 });
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning' && m.text().startsWith('Restock widget')) warnings.push(m.text());
    });
    await page.goto(`${stranger.origin}/product?sku=${encodeURIComponent(skus.out)}&lang=en`);
    await widgetState(page, 'unavailable');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ALLOWED_ORIGINS');
    expect(warnings[0]).toContain(stranger.origin);
    await page.close();
  });

  it('an origin outside ALLOWED_ORIGINS is refused: the widget stays away and a signup from that page is blocked', async () => {
    const page = await openProduct(stranger.origin, skus.out);
    await widgetState(page, 'unavailable');
    expect(await page.locator('.restock-notifier').isVisible()).toBe(false);
    const email = uniqueEmail('stranger');
    const outcome = await page.evaluate(
      async ([url, body]) => {
        try {
          await fetch(url as string, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: body as string,
          });
          return 'answered';
        } catch {
          return 'refused';
        }
      },
      [`${apiUrl}/api/v1/signups`, JSON.stringify({ email, sku: skus.out })],
    );
    expect(outcome).toBe('refused');
    expect(await deps.db.select().from(subscriptions).where(eq(subscriptions.email, email))).toEqual([]);
    await page.close();
  });
});

describe('scarcity from real numbers (SHOW_WAITLIST_COUNT)', () => {
  it('the widget says how many confirmed shoppers wait', async () => {
    const page = await openProduct(shop.origin, skus.popular);
    await widgetState(page, 'out_of_stock');
    expect(await page.locator('.restock-notifier .waiting').textContent()).toBe('3 people are waiting for this');
    await browser.screenshot(page, 'widget-waiting-1280');
    await page.close();
  });
});

describe('the hosted signup page without JavaScript', () => {
  for (const width of [1280, 390]) {
    it(`a bad address comes back inline with what was typed (${width} px)`, async () => {
      const page = await browser.newPage({ width, javaScriptEnabled: false });
      await page.goto(`${apiUrl}/signup/${skus.popular}`);
      expect(await page.locator('.muted', { hasText: 'waiting' }).textContent()).toBe('3 people are waiting for this.');
      // Passes the browser's own check (no JavaScript needed for that) but not ours: the domain has no dot.
      await page.locator('#email').fill('jane@example');
      await page.locator('button[type=submit]').click();
      await page.waitForSelector('.field-error');
      expect(await page.locator('.field-error').textContent()).toBe(
        'Please enter a valid email address, like name@example.com.',
      );
      expect(await page.locator('#email').inputValue()).toBe('jane@example');
      expect(await page.locator('#email').getAttribute('aria-invalid')).toBe('true');
      await browser.screenshot(page, `hosted-signup-error-${width}`);
      await page.locator('#email').fill(uniqueEmail('hosted'));
      await page.locator('button[type=submit]').click();
      await page.waitForURL(/\/done\?status=pending/);
      await page.close();
    });
  }
});

describe('GET /demo served from a second origin', () => {
  for (const width of [1280, 390]) {
    it(`the size picker switches the widget between its states (${width} px)`, async () => {
      const page = await browser.newPage({ width, height: 900 });
      await page.goto(`${shop.origin}/demo`);
      await widgetState(page, 'out_of_stock');
      await page.locator('.restock-notifier button.toggle').click();
      await browser.screenshot(page, `demo-out-of-stock-${width}`);
      await page.locator('input[value="DEMO-TEE-BLUE-S"]').check();
      await widgetState(page, 'in_stock');
      expect(await page.locator('#stock').textContent()).toMatch(/^In stock/);
      await page.locator('input[value="DEMO-TEE-BLUE-L"]').check();
      await widgetState(page, 'backorder');
      expect(await page.locator('#snippet').textContent()).toContain('data-sku="DEMO-TEE-BLUE-L"');
      expect(await page.locator('.restock-notifier .order').textContent()).toBe(
        `Order now — ships around ${spoken(etaBackorder, 'en-GB')}`,
      );
      await browser.screenshot(page, `demo-backorder-${width}`);
      await page.close();
    });
  }
});
