import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backorders, products } from '../../../src/db/schema/index.js';
import { signWebhook } from '../../../src/domain/inventory/verify-webhook-signature.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../../helpers/deps.js';

/**
 * Issue 21 point 3: actions come from signed data. Shopify signs the raw body only
 * (X-Shopify-Hmac-Sha256: "a base64-encoded HMAC-SHA256 digest of the request body"); X-Shopify-Topic,
 * X-Shopify-Webhook-Id and X-Shopify-Shop-Domain travel beside it, unsigned. A real orders/cancelled
 * delivery carries `"cancelled_at":"2017-03-07T12:22:38+01:00","cancel_reason":"customer"` in its body.
 * WooCommerce signs the body (X-WC-Webhook-Signature); its topic and source headers are unsigned too.
 */
const SHOPIFY_SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const WOO_SECRET = 'woo-secret-with-some-length-1234';
const ORDER_ID = '820982911946154508';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
const fixture = (name: string) => readFile(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
beforeAll(async () => {
  deps = await createTestDeps({
    env: {
      SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
      WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET,
      SHOPIFY_SHOP_DOMAIN: 'acme-shop.myshopify.com',
    },
  });
  app = createApp(deps, deps.services);
  for (const [sku, body] of [
    ['IPOD2008PINK', { quantity: 1, backorderable: true }],
    ['IPOD2008BLACK', { quantity: 5, backorderable: true }],
    ['WOO-SINGLE-1', { quantity: 0, backorderable: true }],
  ] as const) {
    await app.request(`/api/v1/inventory/${sku}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
});
afterAll(() => deps.close());

const post = (path: string, body: string, headers: Record<string, string>) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const shopifyOrder = (topic: string, body: string, id?: string) =>
  post('/api/v1/webhooks/shopify/orders', body, {
    'x-shopify-topic': topic,
    'x-shopify-hmac-sha256': signWebhook(SHOPIFY_SECRET, body),
    ...(id ? { 'x-shopify-webhook-id': id } : {}),
  });
const linesOf = (orderId: string) => deps.db.select().from(backorders).where(eq(backorders.orderId, orderId));

describe('Shopify orders: the action comes from the signed body', () => {
  it('the finding: a signed orders/create body re-sent as orders/cancelled cancels nothing', async () => {
    const body = await fixture('shopify-orders-create.json');
    expect((await shopifyOrder('orders/create', body, 'sig-create-1')).status).toBe(200);
    expect((await linesOf(ORDER_ID)).map((l) => l.status)).toEqual(['open']);
    const forged = await shopifyOrder('orders/cancelled', body);
    expect(forged.status).toBe(200);
    expect(await forged.json()).toMatchObject({ closed: 0 });
    expect((await linesOf(ORDER_ID)).map((l) => l.status)).toEqual(['open']);
  });

  it('the same signed body under fresh webhook ids (or none) is a duplicate: de-duplicated by topic + body hash', async () => {
    const body = (await fixture('shopify-orders-create.json')).replaceAll(ORDER_ID, '820982911946154600');
    expect(await (await shopifyOrder('orders/create', body, 'fresh-1')).json()).toMatchObject({
      duplicate: false,
      registered: 1,
    });
    expect(await (await shopifyOrder('orders/create', body, 'fresh-2')).json()).toMatchObject({
      duplicate: true,
      registered: 0,
    });
    expect(await (await shopifyOrder('orders/create', body)).json()).toMatchObject({ duplicate: true });
    expect(await linesOf('820982911946154600')).toHaveLength(1);
  });

  it('a real cancellation (cancelled_at in the body) cancels; the same body re-sent as orders/create registers nothing', async () => {
    const created = JSON.parse(await fixture('shopify-orders-create.json')) as Record<string, unknown>;
    const cancelled = JSON.stringify({
      ...created,
      cancelled_at: '2026-03-02T09:00:00-05:00',
      cancel_reason: 'customer',
    });
    const res = await shopifyOrder('orders/cancelled', cancelled, 'cancel-1');
    expect(await res.json()).toMatchObject({ action: 'close', closed: 1 });
    expect((await linesOf(ORDER_ID)).map((l) => l.status)).toEqual(['cancelled']);
    const replay = JSON.stringify({
      ...created,
      id: 4444,
      admin_graphql_api_id: 'gid://shopify/Order/4444',
      cancelled_at: '2026-03-02T09:00:00-05:00',
    });
    expect(await (await shopifyOrder('orders/create', replay, 'x-1')).json()).toMatchObject({
      action: 'ignore',
      registered: 0,
    });
    expect(await linesOf('4444')).toHaveLength(0);
  });
});

describe('Shopify products: the URL host is never the unsigned X-Shopify-Shop-Domain', () => {
  it('a forged shop-domain header does not reach the stored product URL', async () => {
    const body = await fixture('shopify-products-update.json');
    const res = await post('/api/v1/webhooks/shopify/products-update', body, {
      'x-shopify-topic': 'products/update',
      'x-shopify-hmac-sha256': signWebhook(SHOPIFY_SECRET, body),
      'x-shopify-shop-domain': 'evil.example',
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { sku: string }[] };
    const [stored] = await deps.db.select().from(products).where(eq(products.sku, results[0]!.sku));
    expect(stored!.url).toMatch(/^https:\/\/acme-shop\.myshopify\.com\/products\//);
  });
});

describe('WooCommerce orders: the same rules', () => {
  it('the action comes from the signed status; a changed topic header or fresh delivery id is a duplicate', async () => {
    const body = await fixture('woocommerce-order.json');
    const woo = (topic: string, id: string) =>
      post('/api/v1/webhooks/woocommerce/orders', body, {
        'x-wc-webhook-topic': topic,
        'x-wc-webhook-delivery-id': id,
        'x-wc-webhook-signature': signWebhook(WOO_SECRET, body),
      });
    const first = await (await woo('order.created', 'wd-1')).json();
    expect(first).toMatchObject({ duplicate: false });
    expect(await (await woo('order.deleted', 'wd-2')).json()).toMatchObject({ duplicate: true });
    expect(await (await woo('order.updated', 'wd-3')).json()).toMatchObject({ duplicate: true });
  });
});
