import { readFile } from 'node:fs/promises';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backorders } from '../../../src/db/schema/index.js';
import { signWebhook } from '../../../src/domain/inventory/verify-webhook-signature.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../../helpers/deps.js';

const SHOPIFY_SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const WOO_SECRET = 'woo-secret-with-some-length-1234';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
const fixture = (name: string) => readFile(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
beforeAll(async () => {
  deps = await createTestDeps({
    env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET },
  });
  app = createApp(deps, deps.services);
  const put = (sku: string, body: unknown) =>
    app.request(`/api/v1/inventory/${sku}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await put('IPOD2008PINK', { quantity: 1, backorderable: true });
  await put('IPOD2008BLACK', { quantity: 5, backorderable: true });
  await put('WOO-SINGLE-1', { quantity: 0, backorderable: true });
  await put('WOO-IDEA-BLACK-M', { quantity: 4 });
});
afterAll(() => deps.close());

let n = 0;
const shopify = (topic: string, body: string, headers: Record<string, string> = {}) =>
  app.request('/api/v1/webhooks/shopify/orders', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-webhook-id': `o-${++n}`,
      'x-shopify-hmac-sha256': signWebhook(SHOPIFY_SECRET, body),
      ...headers,
    },
    body,
  });
const woo = (body: string, headers: Record<string, string> = {}) =>
  app.request('/api/v1/webhooks/woocommerce/orders', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-delivery-id': `w-${++n}`,
      'x-wc-webhook-signature': signWebhook(WOO_SECRET, body),
      ...headers,
    },
    body,
  });
const line = async (orderId: string, sku: string) =>
  (
    await deps.db
      .select()
      .from(backorders)
      .where(and(eq(backorders.orderId, orderId), eq(backorders.sku, sku)))
  )[0];
const linesOf = (orderId: string) => deps.db.select().from(backorders).where(eq(backorders.orderId, orderId));

describe('Shopify order webhooks', () => {
  it('orders/create: only the shortfall of a backorderable SKU becomes an open line; redelivery applies nothing', async () => {
    const body = await fixture('shopify-orders-create.json');
    const res = await shopify('orders/create', body, { 'x-shopify-webhook-id': 'create-1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      duplicate: false,
      registered: 1,
      skipped: [{ sku: 'IPOD2008BLACK', why: 'covered by stock' }],
    });
    const rows = await linesOf('820982911946154508');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      sku: 'IPOD2008PINK',
      quantity: 2,
      status: 'open',
      orderLabel: '#9999',
      email: 'jon@example.com',
      customerName: 'John Smith',
      locale: 'en',
      promisedDate: '2026-03-31',
    });

    const again = await shopify('orders/create', body, { 'x-shopify-webhook-id': 'create-1' });
    expect(await again.json()).toMatchObject({ duplicate: true, registered: 0 });
    expect(await linesOf('820982911946154508')).toHaveLength(1);
  });

  it('refuses a bad or missing signature without touching anything', async () => {
    const body = (await fixture('shopify-orders-create.json')).replace('820982911946154508', '1111');
    expect(
      (await shopify('orders/create', body, { 'x-shopify-hmac-sha256': signWebhook('wrong-secret', body) })).status,
    ).toBe(401);
    expect((await shopify('orders/create', body, { 'x-shopify-hmac-sha256': '' })).status).toBe(401);
    expect(await linesOf('1111')).toHaveLength(0);
  });

  it('fulfillments/create fulfils the fulfilled lines; orders/cancelled cancels the rest of an order', async () => {
    const order = JSON.parse(await fixture('shopify-orders-create.json')) as {
      id: number;
      admin_graphql_api_id: string;
      line_items: { quantity: number }[];
    };
    order.admin_graphql_api_id = 'gid://shopify/Order/2222';
    order.line_items[1]!.quantity = 9;
    await shopify('orders/create', JSON.stringify(order));
    expect((await linesOf('2222')).map((l) => [l.sku, l.quantity]).sort()).toEqual([
      ['IPOD2008BLACK', 4],
      ['IPOD2008PINK', 2],
    ]);

    const fulfilment = (await fixture('shopify-fulfillments-create.json')).replace('820982911946154508', '2222');
    expect(await (await shopify('fulfillments/create', fulfilment)).json()).toMatchObject({ closed: 1 });
    expect((await line('2222', 'IPOD2008PINK'))!.status).toBe('fulfilled');

    expect(
      await (
        await shopify('orders/cancelled', JSON.stringify({ ...order, cancelled_at: '2026-03-02T00:00:00Z' }))
      ).json(),
    ).toMatchObject({ closed: 1 });
    expect((await line('2222', 'IPOD2008BLACK'))!.status).toBe('cancelled');
    expect((await line('2222', 'IPOD2008PINK'))!.status).toBe('fulfilled');
  });

  it('a payload that does not fit its topic is a 400', async () => {
    expect((await shopify('orders/create', JSON.stringify({ hello: 'world' }))).status).toBe(400);
  });
});

describe('WooCommerce order webhooks', () => {
  it('order with Backordered meta → open line for that quantity; cancelled cancels; completed fulfils', async () => {
    const body = await fixture('woocommerce-order.json');
    const res = await woo(body, { 'x-wc-webhook-delivery-id': 'woo-1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ registered: 1 });
    expect(await linesOf('727')).toHaveLength(1);
    expect(await line('727', 'WOO-SINGLE-1')).toMatchObject({
      quantity: 2,
      status: 'open',
      orderLabel: '#727',
      email: 'erika@example.de',
      customerName: 'Erika Mustermann',
    });
    expect((await line('727', 'WOO-SINGLE-1'))!.orderedAt.toISOString()).toBe('2026-03-01T09:15:00.000Z');
    expect(await (await woo(body, { 'x-wc-webhook-delivery-id': 'woo-1' })).json()).toMatchObject({ duplicate: true });

    const cancelled = JSON.stringify({ ...JSON.parse(body), status: 'cancelled' });
    expect(await (await woo(cancelled)).json()).toMatchObject({ closed: 1 });
    expect((await line('727', 'WOO-SINGLE-1'))!.status).toBe('cancelled');

    const other = JSON.parse(body) as { id: number };
    other.id = 728;
    await woo(JSON.stringify(other));
    expect(await (await woo(JSON.stringify({ ...other, status: 'completed' }))).json()).toMatchObject({ closed: 1 });
    expect((await line('728', 'WOO-SINGLE-1'))!.status).toBe('fulfilled');
  });

  it('refuses a bad signature; acknowledges the ping', async () => {
    const body = (await fixture('woocommerce-order.json')).replace('"id": 727', '"id": 9999');
    expect((await woo(body, { 'x-wc-webhook-signature': signWebhook('nope-nope-nope-nope', body) })).status).toBe(401);
    expect(await linesOf('9999')).toHaveLength(0);
    expect((await woo('webhook_id=12', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(200);
  });
});
