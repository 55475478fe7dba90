import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { signWebhook } from '../../../src/domain/inventory/verify-webhook-signature.js';
import { createApp } from '../../../src/http/app.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { createTestDeps, INVENTORY_TOKEN, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { createProduct, createRestockEvent, uid } from '../../helpers/factories.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

/**
 * Issue 22 "Done means": four shoppers notified, one clicks twice, two buy (one through the API, one
 * through a signed Shopify orders/create), a shopper never notified and an order placed before the
 * email are stored but not attributed → notified 4, clicked 1, orders 2, exact units and revenue;
 * the CSV says the same. Runs on PGlite and (TEST_DATABASE_URL) PostgreSQL.
 */
const SHOPIFY_SECRET = 'shpss_results_0123456789abcdef0123';
const BROWSER_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let deps: TestDeps;
let sink: SmtpSink;
let app: ReturnType<typeof createApp>;
let sku: string;
const tag = uid();
const shoppers = {
  // Signed up with a plus-tag on Gmail; orders as the bare, dotless, capitalised mailbox.
  ada: `ada.lovelace+${tag}@gmail.com`,
  bob: `bob-${tag}@mail.example`,
  cy: `cy-${tag}@mail.example`,
  dee: `dee-${tag}@mail.example`,
};

const api = (path: string, body: unknown) =>
  app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const report = (query = '', headers: Record<string, string> = {}) =>
  app.request(`/api/v1/admin/reports/results${query}`, {
    headers: { authorization: `Bearer ${MARKETING_TOKEN}`, ...headers },
  });
const linkIn = (email: string) => {
  const m = sink.messages.find((x) => x.envelopeTo.includes(email));
  const href = /href="(https:\/\/shop\.example\/r\/[^"]+)"/.exec(String(m?.parsed.html ?? ''))?.[1];
  return href?.replace('https://shop.example', '');
};

beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({
    smtpUrl: sink.url,
    env: { NOTIFY_PER_UNIT: '1', SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET },
  });
  app = createApp(deps, deps.services);
  sku = (
    await createProduct(deps, {
      quantity: 0,
      name: `Linen shirt ${tag}`,
      url: `https://shop.example/products/linen-${tag}`,
    })
  ).sku;
  let i = 0;
  for (const email of Object.values(shoppers)) {
    const at = new Date(deps.clock.now().getTime() - 86_400_000 + i++ * 60_000).toISOString();
    await rows(
      deps.db,
      sql`insert into subscriptions (email, email_normalized, sku, status, created_at, confirmed_at)
      values (${email}, ${email.toLowerCase()}, ${sku}, 'active', ${at}::timestamptz, ${at}::timestamptz)`,
    );
  }
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

describe('results: tracked links, attributed orders, the report', () => {
  it('an order placed before the email is stored, not attributed', async () => {
    const early = await api('/api/v1/orders', {
      orderId: `early-${tag}`,
      email: shoppers.dee,
      currency: 'EUR',
      placedAt: new Date(deps.clock.now().getTime() - 3600_000).toISOString(),
      lines: [{ sku, quantity: 1, unitPrice: '19.99' }],
    });
    expect(early.status).toBe(201);
    expect(await early.json()).toEqual({
      order: { orderId: `early-${tag}`, created: true, lines: 1, attributedLines: 0 },
    });
  });

  it('a restock wave notifies all four; product links go through /r/, the unsubscribe link does not', async () => {
    await createRestockEvent(deps, sku, 10);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ waves: 1, waveQueued: 4, sent: 4 });
    for (const email of Object.values(shoppers))
      expect(linkIn(email)).toMatch(/^\/r\/[0-9a-z]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    const bob = sink.messages.find((x) => x.envelopeTo.includes(shoppers.bob))!;
    expect(String(bob.parsed.html)).toMatch(/href="https:\/\/shop\.example\/unsubscribe\?token(=|&#x3D;)/);
    expect(String(bob.parsed.html)).not.toContain(`https://shop.example/products/linen-${tag}`);
  });

  it('a scanner (HEAD, a Safe Links user agent, or within 2 s) is recorded apart; Bob clicks twice and counts once', async () => {
    const cy = linkIn(shoppers.cy)!;
    // 1 s after delivery, with a browser user agent: a gateway detonating links on arrival.
    deps.clock.advance(1000);
    expect((await app.request(cy, { headers: { 'user-agent': BROWSER_UA } })).status).toBe(302);
    deps.clock.advance(10 * 60_000);
    expect((await app.request(cy, { method: 'HEAD', headers: { 'user-agent': BROWSER_UA } })).status).toBe(302);
    expect((await app.request(cy, { headers: { 'user-agent': 'Microsoft Office Existence Discovery' } })).status).toBe(
      302,
    );

    const bob = linkIn(shoppers.bob)!;
    const first = await app.request(bob, { headers: { 'user-agent': BROWSER_UA } });
    expect(first.status).toBe(302);
    const target = new URL(first.headers.get('location')!);
    expect(`${target.origin}${target.pathname}`).toBe(`https://shop.example/products/linen-${tag}`);
    expect(Object.fromEntries(target.searchParams)).toEqual({
      utm_source: 'restock-notifier',
      utm_medium: 'email',
      utm_campaign: 'back-in-stock',
    });
    expect((await app.request(bob, { headers: { 'user-agent': BROWSER_UA } })).headers.get('location')).toBe(
      target.toString(),
    );

    const clicks = await rows<{ class: string; reason: string | null; n: number }>(
      deps.db,
      sql`
      select class, reason, count(*)::int as n from link_clicks group by class, reason order by class, reason`,
    );
    expect(clicks).toEqual([
      { class: 'first', reason: null, n: 1 },
      { class: 'repeat', reason: null, n: 1 },
      { class: 'scanner', reason: 'head', n: 1 },
      { class: 'scanner', reason: 'too_fast', n: 1 },
      { class: 'scanner', reason: 'user_agent', n: 1 },
    ]);
  });

  it('a forged or re-targeted token never redirects', async () => {
    const bob = linkIn(shoppers.bob)!;
    const [id, , mac] = bob.slice(3).split('.');
    const evil = Buffer.from('https://evil.example/phish').toString('base64url');
    const res = await app.request(`/r/${id}.${evil}.${mac}`, { headers: { 'user-agent': BROWSER_UA } });
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
  });

  it('Ada buys through the API as her bare Gmail mailbox, Bob through a signed Shopify order; Eve was never notified', async () => {
    deps.clock.advance(3600_000);
    const ada = await api('/api/v1/orders', {
      orderId: `ada-${tag}`,
      email: `AdaLovelace@googlemail.com`,
      currency: 'eur',
      lines: [
        { sku, quantity: 2, unitPrice: '19.99' },
        { sku: `NOT-A-PRODUCT-${tag}`, quantity: 1, unitPrice: 5 },
      ],
    });
    expect(ada.status).toBe(201);
    expect(await ada.json()).toEqual({ order: { orderId: `ada-${tag}`, created: true, lines: 2, attributedLines: 1 } });
    // The replay changes nothing.
    const replay = await api('/api/v1/orders', {
      orderId: `ada-${tag}`,
      email: shoppers.ada,
      currency: 'EUR',
      lines: [{ sku, quantity: 9, unitPrice: '1.00' }],
    });
    expect(replay.status).toBe(200);

    const shopify = JSON.parse(
      await readFile(new URL('../../fixtures/shopify-orders-create.json', import.meta.url), 'utf8'),
    );
    const orderNo = `7${Date.now()}`;
    Object.assign(shopify, {
      id: Number(orderNo),
      admin_graphql_api_id: `gid://shopify/Order/${orderNo}`,
      email: shoppers.bob,
      contact_email: shoppers.bob,
      created_at: deps.clock.now().toISOString(),
      currency: 'EUR',
    });
    shopify.customer.email = shoppers.bob;
    shopify.line_items = [{ ...shopify.line_items[0], sku, quantity: 1, price: '19.99' }];
    const body = JSON.stringify(shopify);
    const hook = await app.request('/api/v1/webhooks/shopify/orders', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-webhook-id': `res-${tag}`,
        'x-shopify-hmac-sha256': signWebhook(SHOPIFY_SECRET, body),
      },
      body,
    });
    expect(hook.status).toBe(200);

    const eve = await api('/api/v1/orders', {
      orderId: `eve-${tag}`,
      email: `eve-${tag}@mail.example`,
      currency: 'EUR',
      lines: [{ sku, quantity: 4, unitPrice: '19.99' }],
    });
    expect(await eve.json()).toMatchObject({ order: { created: true, attributedLines: 0 } });

    const stored = await rows<{ order_id: string; source: string; attributed: number }>(
      deps.db,
      sql`
      select o.order_id, o.source, count(l.attributed_delivery_id)::int as attributed
      from orders o join order_lines l using (order_id) group by o.order_id, o.source order by o.order_id`,
    );
    expect(stored).toEqual(
      [
        { order_id: `ada-${tag}`, source: 'api', attributed: 1 },
        { order_id: orderNo, source: 'shopify', attributed: 1 },
        { order_id: `early-${tag}`, source: 'api', attributed: 0 },
        { order_id: `eve-${tag}`, source: 'api', attributed: 0 },
      ].sort((a, b) => a.order_id.localeCompare(b.order_id)),
    );
  });

  it('the report: notified 4, clicked 1, orders 2, 3 units, EUR 59.97 — and the CSV says the same', async () => {
    const res = await report(`?sku=${sku}`);
    expect(res.status).toBe(200);
    const r = (await res.json()) as Json;
    // Hand-computed: Ada 2 × 19.99 + Bob 1 × 19.99 = 3 × 1999 cents = 5997 cents.
    const expected = {
      notified: 4,
      clicked: 1,
      orders: 2,
      units: 3,
      revenue: [{ currency: 'EUR', amount: '59.97', minor: '5997' }],
      conversionRate: 0.5,
    };
    expect(r.totals).toEqual(expected);
    expect(r.skus).toEqual([{ sku, name: `Linen shirt ${tag}`, ...expected }]);
    expect(r.waves).toEqual([expect.objectContaining({ sku, waveNo: 1, maxRecipients: 10, ...expected })]);
    expect(r.templates).toEqual([
      expect.objectContaining({ templateKey: 'back-in-stock', locale: 'en', version: 1, ...expected }),
    ]);
    expect(r.days).toEqual([
      { date: '2026-03-01', notified: 4, clicked: 1, orders: 2, units: 3, revenue: expected.revenue },
    ]);

    const csv = await report(`?sku=${sku}`, { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const records = parse((await csv.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(records).toEqual([
      {
        sku,
        name: `Linen shirt ${tag}`,
        notified: '4',
        clicked: '1',
        orders: '2',
        units: '3',
        conversion_rate: '0.5',
        revenue_EUR: '59.97',
      },
      {
        sku: '(total)',
        name: '',
        notified: '4',
        clicked: '1',
        orders: '2',
        units: '3',
        conversion_rate: '0.5',
        revenue_EUR: '59.97',
      },
    ]);
  });
});
