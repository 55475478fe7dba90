import { readFile } from 'node:fs/promises';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryEvents, products } from '../../../src/db/schema/index.js';
import { signWebhook } from '../../../src/domain/inventory/verify-webhook-signature.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';

const SHOPIFY_SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const WOO_SECRET = 'woo-secret-with-some-length-1234';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let shopifyFixture: Record<string, unknown>;
let wooFixture: Record<string, unknown>;
beforeAll(async () => {
  deps = await createTestDeps({
    env: {
      SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
      WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET,
      SHOPIFY_SHOP_DOMAIN: 'acme-shop.myshopify.com',
    },
  });
  // Payloads here are dated up to 12:20: a signed time more than 5 minutes ahead of the clock is refused.
  deps.clock.set('2026-03-01T12:30:00Z');
  app = createApp(deps, deps.services);
  shopifyFixture = JSON.parse(
    await readFile(new URL('../../fixtures/shopify-products-update.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  wooFixture = JSON.parse(
    await readFile(new URL('../../fixtures/woocommerce-product-updated.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
});
afterAll(() => deps.close());

let n = 0;
const shopify = (body: string, headers: Record<string, string> = {}, target = app) =>
  target.request('/api/v1/webhooks/shopify/products-update', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'products/update',
      'x-shopify-shop-domain': 'acme-shop.myshopify.com',
      'x-shopify-webhook-id': `wh-${++n}`,
      'x-shopify-hmac-sha256': signWebhook(SHOPIFY_SECRET, body),
      ...headers,
    },
    body,
  });
const woo = (body: string, headers: Record<string, string> = {}) =>
  app.request('/api/v1/webhooks/woocommerce/product-updated', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-topic': 'product.updated',
      'x-wc-webhook-resource': 'product',
      'x-wc-webhook-event': 'updated',
      'x-wc-webhook-delivery-id': `d-${++n}`,
      'x-wc-webhook-signature': signWebhook(WOO_SECRET, body),
      ...headers,
    },
    body,
  });
const product = async (sku: string) => (await deps.db.select().from(products).where(eq(products.sku, sku)))[0];
const eventsOf = (sku: string) =>
  deps.db.select().from(inventoryEvents).where(eq(inventoryEvents.sku, sku)).orderBy(asc(inventoryEvents.id));

/** A fixture variant with its own SKUs and timestamp, so tests do not share rows. */
function shopifyPayload(prefix: string, updatedAt: string, quantities: [number, number]): string {
  const p = structuredClone(shopifyFixture) as {
    updated_at: string;
    variants: { sku: string; inventory_quantity: number }[];
  };
  p.updated_at = updatedAt;
  p.variants[0]!.sku = `${prefix}-S`;
  p.variants[0]!.inventory_quantity = quantities[0];
  p.variants[1]!.sku = `${prefix}-M`;
  p.variants[1]!.inventory_quantity = quantities[1];
  // Pretty-printed on purpose: the HMAC must be over these exact bytes, not a re-serialization.
  return JSON.stringify(p, null, 2);
}

describe('Shopify products/update', () => {
  it('applies the real-format fixture: one product per variant with a SKU', async () => {
    const body = await readFile(new URL('../../fixtures/shopify-products-update.json', import.meta.url), 'utf8');
    const res = await shopify(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      duplicate: false,
      results: [
        { sku: 'SHOP-TEE-S', outcome: 'created' },
        { sku: 'SHOP-TEE-M', outcome: 'created' },
      ],
    });
    expect(await product('SHOP-TEE-S')).toMatchObject({
      name: 'Example T-Shirt - Small',
      quantity: 75,
      backorderable: false,
      url: 'https://acme-shop.myshopify.com/products/example-t-shirt?variant=642667041472713922',
      imageUrl: 'https://cdn.shopify.com/s/files/1/0000/0001/products/tee-small.jpg',
      sourceUpdatedAt: new Date('2026-03-01T11:30:00Z'),
    });
    // Oversold (negative) inventory with policy "continue" → 0 and backorderable.
    expect(await product('SHOP-TEE-M')).toMatchObject({
      quantity: 0,
      backorderable: true,
      imageUrl: 'https://cdn.shopify.com/s/files/1/0000/0001/products/tee.jpg',
    });
    expect((await eventsOf('SHOP-TEE-S'))[0]).toMatchObject({ source: 'shopify', newQuantity: 75 });
  });

  it('a duplicate delivery (same X-Shopify-Webhook-Id) is applied once', async () => {
    const body = shopifyPayload('DUP', '2026-03-01T12:00:00Z', [0, 0]);
    expect((await shopify(body, { 'x-shopify-webhook-id': 'same-id' })).status).toBe(200);
    const second = await shopify(shopifyPayload('DUP', '2026-03-01T12:01:00Z', [4, 4]), {
      'x-shopify-webhook-id': 'same-id',
    });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ duplicate: true, results: [] });
    expect((await product('DUP-S'))!.quantity).toBe(0);
    expect(await eventsOf('DUP-S')).toHaveLength(1);
  });

  it('an out-of-order delivery (older updated_at than stored) is ignored', async () => {
    await shopify(shopifyPayload('OOO', '2026-03-01T12:10:00Z', [6, 6]));
    const late = await shopify(shopifyPayload('OOO', '2026-03-01T12:05:00Z', [1, 1]));
    expect(((await late.json()) as { results: { outcome: string }[] }).results.map((r) => r.outcome)).toEqual([
      'stale',
      'stale',
    ]);
    expect((await product('OOO-S'))!.quantity).toBe(6);
    expect(await eventsOf('OOO-S')).toHaveLength(1);
    await shopify(shopifyPayload('OOO', '2026-03-01T12:20:00Z', [2, 2]));
    expect((await product('OOO-S'))!.quantity).toBe(2);
  });

  it('bad or missing HMAC → 401 and nothing applied; the HMAC covers the raw bytes', async () => {
    const body = shopifyPayload('BAD', '2026-03-01T12:00:00Z', [3, 3]);
    expect((await shopify(body, { 'x-shopify-hmac-sha256': signWebhook('wrong-secret', body) })).status).toBe(401);
    expect((await shopify(body, { 'x-shopify-hmac-sha256': '' })).status).toBe(401);
    // Same JSON, different bytes (re-serialized compactly) → the signature no longer matches.
    expect(
      (await shopify(JSON.stringify(JSON.parse(body)), { 'x-shopify-hmac-sha256': signWebhook(SHOPIFY_SECRET, body) }))
        .status,
    ).toBe(401);
    expect(await product('BAD-S')).toBeUndefined();
  });

  it('malformed payloads → 400 (signed but not JSON, or not a product); unknown fields are ignored', async () => {
    const notJson = await shopify('{"id": 1, ');
    expect(notJson.status).toBe(400);
    const noVariants = await shopify(JSON.stringify({ id: 1, title: 'x', updated_at: '2026-03-01T00:00:00Z' }));
    expect(noVariants.status).toBe(400);
    expect(((await noVariants.json()) as { error: { code: string } }).error.code).toBe('VALIDATION');
    const extra = JSON.stringify({
      id: 2,
      title: 'Extra',
      updated_at: '2026-03-01T00:00:00Z',
      whatever: { a: 1 },
      variants: [{ id: 9, sku: 'EXTRA-1', inventory_quantity: 1, future_field: true }],
    });
    expect((await shopify(extra)).status).toBe(200);
    expect((await product('EXTRA-1'))!.name).toBe('Extra');
  });

  it('without SHOPIFY_WEBHOOK_SECRET every delivery is rejected with 403', async () => {
    const bare = createApp(
      {
        ...deps,
        config: {
          ...deps.config,
          webhooks: { shopifySecret: undefined, shopifyShopDomain: undefined, woocommerceSecret: undefined },
        },
      },
      deps.services,
    );
    const res = await shopify(shopifyPayload('OFF', '2026-03-01T12:00:00Z', [1, 1]), {}, bare);
    expect(res.status).toBe(403);
    expect(await product('OFF-S')).toBeUndefined();
  });
});

describe('WooCommerce product.updated', () => {
  it('applies the real-format fixture', async () => {
    const body = await readFile(new URL('../../fixtures/woocommerce-product-updated.json', import.meta.url), 'utf8');
    const res = await woo(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ duplicate: false, results: [{ sku: 'WOO-HOODIE-L', outcome: 'created' }] });
    expect(await product('WOO-HOODIE-L')).toMatchObject({
      name: 'Premium Quality Hoodie',
      quantity: 8,
      backorderable: true,
      url: 'https://shop.example/product/premium-quality-hoodie/',
      imageUrl: 'https://shop.example/wp-content/uploads/2026/01/hoodie-front.jpg',
      sourceUpdatedAt: new Date('2026-03-01T12:05:00Z'),
    });
    expect((await eventsOf('WOO-HOODIE-L'))[0]!.source).toBe('woocommerce');
  });

  const wooPayload = (sku: string, modified: string, extra: Record<string, unknown>) =>
    JSON.stringify({ ...wooFixture, sku, date_modified_gmt: modified, ...extra });

  it('duplicate delivery id applied once; out-of-order ignored; unmanaged stock uses stock_status', async () => {
    await woo(wooPayload('WOO-D', '2026-03-01T12:00:00', { stock_quantity: 0, stock_status: 'outofstock' }), {
      'x-wc-webhook-delivery-id': 'dlv-1',
    });
    const dup = await woo(wooPayload('WOO-D', '2026-03-01T12:01:00', { stock_quantity: 5 }), {
      'x-wc-webhook-delivery-id': 'dlv-1',
    });
    expect(((await dup.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect((await product('WOO-D'))!.quantity).toBe(0);

    await woo(wooPayload('WOO-D', '2026-03-01T12:10:00', { stock_quantity: 7 }));
    await woo(wooPayload('WOO-D', '2026-03-01T12:09:00', { stock_quantity: 1 }));
    expect((await product('WOO-D'))!.quantity).toBe(7);

    await woo(
      wooPayload('WOO-U', '2026-03-01T12:00:00', {
        manage_stock: false,
        stock_quantity: null,
        stock_status: 'instock',
        backorders: 'no',
      }),
    );
    expect(await product('WOO-U')).toMatchObject({ quantity: deps.config.restock.minQuantity, backorderable: false });
  });

  it('bad signature → 401, nothing applied; malformed → 400; ping → 200; product without SKU ignored', async () => {
    const body = wooPayload('WOO-BAD', '2026-03-01T12:00:00', {});
    expect((await woo(body, { 'x-wc-webhook-signature': signWebhook('nope', body) })).status).toBe(401);
    expect(await product('WOO-BAD')).toBeUndefined();
    expect((await woo(JSON.stringify({ id: 'not-a-number', name: 3 }))).status).toBe(400);
    expect((await woo('webhook_id=15', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(200);
    const noSku = await woo(wooPayload('', '2026-03-01T12:00:00', {}));
    expect(await noSku.json()).toEqual({ duplicate: false, results: [] });
  });
});
