import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { signWebhook } from '../../../src/domain/inventory/verify-webhook-signature.js';
import { canonicalMailboxSql } from '../../../src/domain/orders/mailbox-sql.js';
import { formatMinor, toMinorUnits } from '../../../src/domain/orders/money.js';
import { canonicalMailbox } from '../../../src/domain/validation/email.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { uid } from '../../helpers/factories.js';

/** Issue 22 points 2 and 6: the orders record — exact money, bad input, bulk, replays, platform orders. */
const WOO_SECRET = 'woo-results-secret-0123456789abcd';
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps({ env: { WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET } });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

const post = (path: string, body: unknown) =>
  app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const linesOf = (orderId: string) =>
  rows<{ line_no: number; sku: string; quantity: number; unit_price_minor: number }>(
    deps.db,
    sql`
    select line_no, sku, quantity, unit_price_minor from order_lines where order_id = ${orderId} order by line_no`,
  );

describe('money (ISO 4217)', () => {
  // ISO 4217 List One, column "Minor unit": "JAPAN | Yen | JPY | 392 | 0", "KUWAIT | Kuwaiti Dinar | KWD | 414 | 3",
  // "EUROPEAN UNION | Euro | EUR | 978 | 2", "CHILE | Unidad de Fomento | CLF | 990 | 4".
  it.each([
    ['19.99', 'EUR', 1999],
    [19.99, 'EUR', 1999],
    ['19.9', 'EUR', 1990],
    ['19.990', 'EUR', 1999],
    ['0', 'EUR', 0],
    ['4980', 'JPY', 4980],
    ['4980.00', 'JPY', 4980],
    ['1.250', 'KWD', 1250],
    ['1.2345', 'CLF', 12345],
  ] as const)('%s %s = %i minor units', (value, currency, minor) => {
    expect(toMinorUnits(value, currency)).toEqual({ ok: true, minor });
    // And back: the formatted amount parses to the same minor units.
    expect(toMinorUnits(formatMinor(minor, currency), currency)).toEqual({ ok: true, minor });
  });

  it.each([
    ['-1.00', 'EUR', 'must not be negative'],
    ['abc', 'EUR', 'must be a decimal number (e.g. "19.99")'],
    ['1e3', 'EUR', 'must be a decimal number (e.g. "19.99")'],
    ['19.995', 'EUR', 'has more decimals than EUR has (2)'],
    ['4980.5', 'JPY', 'has more decimals than JPY has (0)'],
    [null, 'EUR', 'must be a decimal number (e.g. "19.99")'],
  ] as const)('%s %s is refused: %s', (value, currency, message) => {
    expect(toMinorUnits(value, currency)).toEqual({ ok: false, message });
  });

  it('sums are exact decimal text, also past 2^53 minor units', () => {
    expect(formatMinor(5997, 'EUR')).toBe('59.97');
    expect(formatMinor(5, 'EUR')).toBe('0.05');
    expect(formatMinor(34860, 'JPY')).toBe('34860');
    expect(formatMinor(1250, 'KWD')).toBe('1.250');
    expect(formatMinor('90071992547409930', 'EUR')).toBe('900719925474099.30');
  });
});

describe("the canonical mailbox in SQL is the signup limits' rule", () => {
  it('agrees with canonicalMailbox on plus-tags, Gmail dots and everything else', async () => {
    const samples = [
      'bomb+1@gmail.com',
      'b.o.m.b@googlemail.com',
      'a.b+c+d@example.org',
      '+tag@example.org',
      'x+@example.org',
      'plain@mail.example',
      'first.last@outlook.com',
    ];
    for (const s of samples) {
      const [r] = await rows<{ c: string }>(deps.db, sql`select ${canonicalMailboxSql(sql`${s}::text`)} as c`);
      expect(r?.c, s).toBe(canonicalMailbox(s));
    }
  });
});

describe('POST /api/v1/orders', () => {
  it('bad input → 400 naming the line; nothing is written', async () => {
    const base = { orderId: `bad-${uid()}`, email: 'ann@mail.example', currency: 'EUR' };
    const cases: [unknown, string][] = [
      [
        {
          ...base,
          lines: [
            { sku: 'A', quantity: 1, unitPrice: '1.00' },
            { sku: 'B', quantity: -2, unitPrice: '1.00' },
          ],
        },
        'lines.1.quantity',
      ],
      [{ ...base, lines: [{ sku: 'A', quantity: 'two', unitPrice: '1.00' }] }, 'lines.0.quantity'],
      [{ ...base, lines: [{ sku: 'A', quantity: 1, unitPrice: 'free' }] }, 'lines.0.unitPrice'],
      [{ ...base, lines: [{ sku: 'A', quantity: 1, unitPrice: '-5.00' }] }, 'lines.0.unitPrice'],
      [{ ...base, currency: 'EURO', lines: [{ sku: 'A', quantity: 1, unitPrice: '1.00' }] }, 'currency'],
      [{ ...base, currency: 'XYZ', lines: [{ sku: 'A', quantity: 1, unitPrice: '1.00' }] }, 'currency'],
      [{ ...base, lines: [] }, 'lines'],
    ];
    for (const [body, path] of cases) {
      const res = await post('/api/v1/orders', body);
      expect(res.status, path).toBe(400);
      const err = (await res.json()) as { error: { code: string; details: { path: string }[] } };
      expect(err.error.code).toBe('VALIDATION');
      expect(err.error.details.map((d) => d.path)).toContain(path);
    }
    expect(await rows(deps.db, sql`select 1 from orders where order_id = ${base.orderId}`)).toEqual([]);
  });

  it('an unknown SKU is stored, not attributed; a replay changes nothing', async () => {
    const orderId = `o-${uid()}`;
    const body = {
      orderId,
      email: 'ann@mail.example',
      currency: 'jpy',
      lines: [{ sku: `NEVER-SEEN-${uid()}`, quantity: 3, unitPrice: 4980 }],
    };
    const first = await post('/api/v1/orders', body);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ order: { orderId, created: true, lines: 1, attributedLines: 0 } });
    const again = await post('/api/v1/orders', { ...body, lines: [{ sku: 'OTHER', quantity: 1, unitPrice: 1 }] });
    expect(again.status).toBe(200);
    expect(await linesOf(orderId)).toEqual([
      { line_no: 1, sku: body.lines[0]!.sku, quantity: 3, unit_price_minor: 4980 },
    ]);
  });

  it('needs a token with scope inventory', async () => {
    const res = await app.request('/api/v1/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
  });
});

describe('POST /api/v1/orders/bulk', () => {
  it('per-row errors; good rows recorded; a replayed row is "existing"', async () => {
    const known = `k-${uid()}`;
    await post('/api/v1/orders', {
      orderId: known,
      email: 'bo@mail.example',
      currency: 'EUR',
      lines: [{ sku: 'A', quantity: 1, unitPrice: '2.50' }],
    });
    const good = `g-${uid()}`;
    const res = await post('/api/v1/orders/bulk', [
      {
        orderId: good,
        email: 'cy@mail.example',
        currency: 'USD',
        lines: [
          { sku: 'A', quantity: 2, unitPrice: '10.00' },
          { sku: 'B', quantity: 1, unitPrice: '0.99' },
        ],
      },
      {
        orderId: `x-${uid()}`,
        email: 'dee@mail.example',
        currency: 'USD',
        lines: [{ sku: 'A', quantity: 1, unitPrice: '-3' }],
      },
      {
        orderId: known,
        email: 'bo@mail.example',
        currency: 'EUR',
        lines: [{ sku: 'A', quantity: 1, unitPrice: '2.50' }],
      },
      'not an order',
    ]);
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { errors: { row: number; errors: { path: string }[] }[] };
    expect(summary).toMatchObject({ received: 4, created: 1, existing: 1, rejected: 2 });
    expect(summary.errors.map((e) => [e.row, e.errors.map((x) => x.path)])).toEqual([
      [2, ['lines.0.unitPrice']],
      [4, ['']],
    ]);
    expect(await linesOf(good)).toEqual([
      { line_no: 1, sku: 'A', quantity: 2, unit_price_minor: 1000 },
      { line_no: 2, sku: 'B', quantity: 1, unit_price_minor: 99 },
    ]);
  });

  it('refuses something that is not an array', async () => {
    expect((await post('/api/v1/orders/bulk', { orderId: 'x' })).status).toBe(400);
  });
});

describe('WooCommerce order.created feeds the orders record', () => {
  it('records the order with its line prices in the order currency; order.updated does not add one', async () => {
    const body = await readFile(new URL('../../fixtures/woocommerce-order.json', import.meta.url), 'utf8');
    const hook = (topic: string, id: string) =>
      app.request('/api/v1/webhooks/woocommerce/orders', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-wc-webhook-topic': topic,
          'x-wc-webhook-delivery-id': id,
          'x-wc-webhook-signature': signWebhook(WOO_SECRET, body),
        },
        body,
      });
    const orderId = String((JSON.parse(body) as { id: number }).id);
    expect((await hook('order.updated', `wu-${uid()}`)).status).toBe(200);
    expect(await rows(deps.db, sql`select 1 from orders where order_id = ${orderId}`)).toEqual([]);
    expect((await hook('order.created', `wc-${uid()}`)).status).toBe(200);
    const [order] = await rows<{ source: string; currency: string }>(
      deps.db,
      sql`select source, currency from orders where order_id = ${orderId}`,
    );
    expect(order).toEqual({ source: 'woocommerce', currency: 'EUR' });
    expect((await linesOf(orderId)).map((l) => [l.sku, l.quantity, l.unit_price_minor])).toEqual([
      ['WOO-SINGLE-1', 3, 600],
      ['WOO-IDEA-BLACK-M', 1, 2100],
    ]);
  });
});
