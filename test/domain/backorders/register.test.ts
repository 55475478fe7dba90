import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryEvents } from '../../../src/db/schema/index.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, INVENTORY_TOKEN, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
  for (const sku of ['REG-A', 'REG-B', 'PATCH-1'])
    await call('PUT', `/api/v1/inventory/${sku}`, { quantity: 0, backorderable: true });
});
afterAll(() => deps.close());

function call(method: string, path: string, body?: unknown, token = INVENTORY_TOKEN) {
  return app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
type Line = { backorder: Record<string, unknown>; events: Record<string, unknown>[] };

describe('POST /api/v1/backorders', () => {
  it('registers a line (201) with the default promised date, then answers 200 with the same line', async () => {
    const body = {
      orderId: '1001',
      sku: 'REG-A',
      email: 'Ada@Example.com',
      quantity: 2,
      orderedAt: '2026-03-01T09:00:00Z',
      customerName: 'Ada',
      locale: 'de',
    };
    const first = await call('POST', '/api/v1/backorders', body);
    expect(first.status).toBe(201);
    const created = ((await first.json()) as Line).backorder;
    expect(created).toMatchObject({
      orderId: '1001',
      sku: 'REG-A',
      quantity: 2,
      status: 'open',
      promisedDate: '2026-03-31',
      expectedDate: '2026-03-31',
      email: 'Ada@example.com',
      locale: 'de',
    });

    const again = await call('POST', '/api/v1/backorders', { ...body, quantity: 5, promisedDate: '2026-05-01' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Line).backorder).toEqual(created);
  });

  it('takes an explicit promised date and refuses bad input with 4xx', async () => {
    const ok = await call('POST', '/api/v1/backorders', {
      orderId: '1002',
      sku: 'REG-B',
      email: 'b@example.com',
      quantity: 1,
      promisedDate: '2026-03-20',
    });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as Line).backorder.promisedDate).toBe('2026-03-20');
    expect(
      (await call('POST', '/api/v1/backorders', { orderId: '1', sku: 'NOPE', email: 'b@example.com', quantity: 1 }))
        .status,
    ).toBe(404);
    expect(
      (await call('POST', '/api/v1/backorders', { orderId: '1', sku: 'REG-B', email: 'not-an-email', quantity: 1 }))
        .status,
    ).toBe(400);
    expect(
      (await call('POST', '/api/v1/backorders', { orderId: '1', sku: 'REG-B', email: 'b@example.com', quantity: 0 }))
        .status,
    ).toBe(400);
    expect(
      (
        await call('POST', '/api/v1/backorders', {
          orderId: '1',
          sku: 'REG-B',
          email: 'b@example.com',
          quantity: 1,
          promisedDate: '1900-01-01',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(
          'POST',
          '/api/v1/backorders',
          { orderId: '1', sku: 'REG-B', email: 'b@example.com', quantity: 1 },
          'nope-nope-nope',
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await call(
          'POST',
          '/api/v1/backorders',
          { orderId: '1', sku: 'REG-B', email: 'b@example.com', quantity: 1 },
          MARKETING_TOKEN,
        )
      ).status,
    ).toBe(403);
  });
});

describe('POST /api/v1/backorders/bulk', () => {
  it('applies good rows, reports bad ones by row number, and repeats idempotently', async () => {
    const rows = [
      { orderId: '2001', sku: 'REG-A', email: 'c@example.com', quantity: 1 },
      { orderId: '2002', sku: 'REG-A', email: 'nope', quantity: 1 },
      { orderId: '2003', sku: 'UNKNOWN', email: 'd@example.com', quantity: 1 },
      'not an object',
      { orderId: '2004', sku: 'REG-B', email: 'e@example.com', quantity: 3 },
    ];
    const res = await call('POST', '/api/v1/backorders/bulk', rows);
    expect(res.status).toBe(200);
    const summary = (await res.json()) as {
      created: number;
      existing: number;
      rejected: number;
      errors: { row: number; code: string }[];
    };
    expect(summary).toMatchObject({ created: 2, existing: 0, rejected: 3 });
    expect(summary.errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'VALIDATION'],
      [3, 'UNKNOWN_SKU'],
      [4, 'VALIDATION'],
    ]);
    const again = (await (await call('POST', '/api/v1/backorders/bulk', rows)).json()) as {
      created: number;
      existing: number;
    };
    expect(again).toMatchObject({ created: 0, existing: 2 });
    expect((await call('POST', '/api/v1/backorders/bulk', { not: 'an array' })).status).toBe(400);
  });
});

describe('PATCH and GET /api/v1/backorders/{orderId}/{sku}', () => {
  it('revises the date with a reason, allocates, fulfils; history lists every step; final states stay final', async () => {
    await call('POST', '/api/v1/backorders', {
      orderId: 'P-1',
      sku: 'REG-A',
      email: 'p@example.com',
      quantity: 1,
      promisedDate: '2026-03-10',
    });
    const revised = await call('PATCH', '/api/v1/backorders/P-1/REG-A', {
      promisedDate: '2026-03-20',
      reason: 'Supplier delay',
    });
    expect(revised.status).toBe(200);
    expect(((await revised.json()) as Line).backorder).toMatchObject({
      promisedDate: '2026-03-10',
      expectedDate: '2026-03-20',
      expectedReason: 'Supplier delay',
    });
    expect((await call('PATCH', '/api/v1/backorders/P-1/REG-A', { status: 'allocated' })).status).toBe(200);
    expect((await call('PATCH', '/api/v1/backorders/P-1/REG-A', { status: 'fulfilled' })).status).toBe(200);
    expect((await call('PATCH', '/api/v1/backorders/P-1/REG-A', { status: 'open' })).status).toBe(409);
    expect((await call('PATCH', '/api/v1/backorders/P-1/REG-A', {})).status).toBe(400);
    expect((await call('PATCH', '/api/v1/backorders/NOPE/REG-A', { status: 'cancelled' })).status).toBe(404);

    const got = (await (await call('GET', '/api/v1/backorders/P-1/REG-A')).json()) as Line;
    expect(got.backorder.status).toBe('fulfilled');
    expect(got.events.map((e) => [e.type, e.oldStatus ?? e.oldDate, e.newStatus ?? e.newDate, e.reason])).toEqual([
      ['registered', null, 'open', null],
      ['date_revised', '2026-03-10', '2026-03-20', 'Supplier delay'],
      ['notice', '2026-03-10', '2026-03-20', 'Supplier delay'],
      ['status', 'open', 'allocated', null],
      ['status', 'allocated', 'fulfilled', null],
    ]);
  });

  it('cancels an open line', async () => {
    await call('POST', '/api/v1/backorders', { orderId: 'C-1', sku: 'REG-B', email: 'c1@example.com', quantity: 1 });
    const res = await call('PATCH', '/api/v1/backorders/C-1/REG-B', { status: 'cancelled', reason: 'customer phoned' });
    expect(((await res.json()) as Line).backorder.status).toBe('cancelled');
  });
});

describe('PATCH /api/v1/inventory/{sku}', () => {
  it('accepts only eta + etaReason, records history like PUT, and 404s an unknown SKU', async () => {
    const res = await call('PATCH', '/api/v1/inventory/PATCH-1', {
      eta: '2026-04-15',
      etaReason: 'Supplier moved the date',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { product: Record<string, unknown> }).product).toMatchObject({
      quantity: 0,
      eta: '2026-04-15',
      etaReason: 'Supplier moved the date',
      backorderable: true,
    });
    const events = await deps.db
      .select()
      .from(inventoryEvents)
      .where(eq(inventoryEvents.sku, 'PATCH-1'))
      .orderBy(asc(inventoryEvents.id));
    expect(events.at(-1)).toMatchObject({
      oldQuantity: 0,
      newQuantity: 0,
      oldEta: null,
      newEta: '2026-04-15',
      etaReason: 'Supplier moved the date',
    });
    expect((await call('PATCH', '/api/v1/inventory/NO-SUCH', { eta: '2026-04-15' })).status).toBe(404);
    expect((await call('PATCH', '/api/v1/inventory/PATCH-1', {})).status).toBe(400);
    expect((await call('PATCH', '/api/v1/inventory/PATCH-1', { quantity: -1 })).status).toBe(400);
  });
});

describe('hostile input is a 4xx, never a 5xx', () => {
  it('control characters, lone surrogates, wrong types, wrong content types, bad JSON', async () => {
    const base = { orderId: 'H-1', sku: 'REG-A', email: 'h@example.com', quantity: 1 };
    const bad: unknown[] = [
      { ...base, customerName: 'A\u0000B' },
      { ...base, orderId: 'H\u0000' },
      { ...base, orderLabel: '\ud800' },
      { ...base, orderedAt: 'yesterday' },
      { ...base, orderedAt: '+275760-09-13T00:00:00Z' },
      { ...base, quantity: 1e12 },
      { ...base, email: 'a@b\u0000.com' },
      { ...base, orderId: 'x'.repeat(5000) },
      [],
      null,
    ];
    for (const body of bad) expect((await call('POST', '/api/v1/backorders', body)).status).toBeLessThan(500);
    const raw = (body: string, type: string) =>
      app.request('/api/v1/backorders', {
        method: 'POST',
        headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': type },
        body,
      });
    expect((await raw('{not json', 'application/json')).status).toBe(400);
    expect((await raw('orderId=1', 'application/x-www-form-urlencoded')).status).toBeLessThan(500);
    expect(
      (await call('PATCH', '/api/v1/backorders/H-1/REG-A', { reason: 'a\u0000', status: 'cancelled' })).status,
    ).toBe(400);
    expect(
      (await call('PATCH', `/api/v1/backorders/${encodeURIComponent('x\u0000')}/REG-A`, { status: 'cancelled' }))
        .status,
    ).toBeLessThan(500);
    expect((await call('GET', `/api/v1/backorders/${'x'.repeat(3000)}/REG-A`)).status).toBeLessThan(500);
    expect((await call('POST', '/api/v1/backorders/bulk', [{ ...base, customerName: '\u0007' }])).status).toBe(200);
  });
});
