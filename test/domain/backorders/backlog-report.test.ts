import { parse } from 'csv-parse/sync';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backorderEvents, backorders } from '../../../src/db/schema/index.js';
import { createApp } from '../../../src/http/app.js';
import { ADMIN_TOKEN, createTestDeps, INVENTORY_TOKEN, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
const call = (
  method: string,
  path: string,
  body?: unknown,
  token = INVENTORY_TOKEN,
  headers: Record<string, string> = {},
) =>
  app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const idOf = async (orderId: string) =>
  (await deps.db.select().from(backorders).where(eq(backorders.orderId, orderId)))[0]!.id;

beforeAll(async () => {
  deps = await createTestDeps(); // clock: 2026-03-01T12:00Z
  app = createApp(deps, deps.services);
  await call('PUT', '/api/v1/inventory/BL-A', {
    quantity: 1,
    name: '=Tee, "blue"',
    eta: '2026-03-20',
    etaReason: 'Supplier',
  });
  await call('PUT', '/api/v1/inventory/BL-B', { quantity: 0 });
  // Each line is registered when it was ordered (a line registered after its promise is cancel_due at once).
  const reg = (orderId: string, sku: string, quantity: number, orderedAt: string, promisedDate?: string) => {
    deps.clock.set(orderedAt);
    return call('POST', '/api/v1/backorders', {
      orderId,
      sku,
      quantity,
      email: `${orderId}@example.com`,
      orderedAt,
      ...(promisedDate ? { promisedDate } : {}),
    });
  };
  await reg('A1', 'BL-A', 2, '2026-02-01T10:00:00Z', '2026-02-20');
  await reg('A2', 'BL-A', 3, '2026-02-10T10:00:00Z', '2026-03-10');
  await reg('A3', 'BL-A', 1, '2026-02-15T10:00:00Z', '2026-02-25');
  await reg('A4', 'BL-A', 1, '2026-02-20T10:00:00Z');
  await reg('B1', 'BL-B', 4, '2026-02-25T10:00:00Z');
  deps.clock.set('2026-03-01T12:00:00Z');
  await call('PATCH', '/api/v1/backorders/A4/BL-A', { status: 'fulfilled' });
  await call('PATCH', '/api/v1/backorders/B1/BL-B', { status: 'allocated' });
  // States the notice and deadline flows produce (tested in their own files), set directly here.
  await deps.db
    .update(backorders)
    .set({ awaitingAnswer: true, consentDeadline: '2026-03-20' })
    .where(and(eq(backorders.orderId, 'A2')));
  await deps.db
    .update(backorders)
    .set({ status: 'cancel_due', refundDueBy: '2026-02-27' })
    .where(eq(backorders.orderId, 'A3'));
  const at = deps.clock.now();
  await deps.db.insert(backorderEvents).values([
    { backorderId: await idOf('A1'), type: 'answer', source: 'customer', answer: 'wait', at },
    { backorderId: await idOf('A3'), type: 'cancel_due', source: 'system', at },
    { backorderId: await idOf('A4'), type: 'answer', source: 'customer', answer: 'cancel', at },
  ]);
});
afterAll(() => deps.close());

type Report = {
  asOf: string;
  skus: Record<string, unknown>[];
  refunds: Record<string, unknown>[];
  summary: Record<string, unknown>;
};

describe('GET /api/v1/admin/reports/backlog', () => {
  it('per-SKU numbers and the summary match hand-computed values', async () => {
    const res = await call('GET', '/api/v1/admin/reports/backlog', undefined, MARKETING_TOKEN);
    expect(res.status).toBe(200);
    const r = (await res.json()) as Report;
    expect(r.asOf).toBe('2026-03-01');
    expect(r.skus).toEqual([
      {
        sku: 'BL-A',
        name: '=Tee, "blue"',
        openLines: 2,
        openUnits: 5,
        allocatedLines: 0,
        oldestOrderDate: '2026-02-01',
        earliestPromisedDate: '2026-02-20',
        latestPromisedDate: '2026-03-10',
        overdueLines: 2,
        awaitingAnswer: 1,
        cancelDueLines: 1,
        unreachableLines: 0,
        eta: '2026-03-20',
        etaReason: 'Supplier',
        unitsOnHand: 1,
      },
      {
        sku: 'BL-B',
        name: 'BL-B',
        openLines: 0,
        openUnits: 0,
        allocatedLines: 1,
        oldestOrderDate: '2026-02-25',
        earliestPromisedDate: '2026-03-27',
        latestPromisedDate: '2026-03-27',
        overdueLines: 0,
        awaitingAnswer: 0,
        cancelDueLines: 0,
        unreachableLines: 0,
        eta: null,
        etaReason: null,
        unitsOnHand: 0,
      },
    ]);
    // Ages on 2026-03-01: 28 + 19 + 14 + 4 = 65 days over 4 lines.
    expect(r.summary).toEqual({
      lines: 4,
      units: 10,
      overdueLines: 2,
      averageAgeDays: 16.3,
      answers: { waited: 1, cancelled: 1, silent: 1 },
      refundsOwed: 1,
      refundsPastDue: 1,
    });
    // 16 CFR 435.1: the refund clock; A3's refund was due on 27 February and is not reported as made.
    expect(r.refunds).toEqual([
      {
        orderId: 'A3',
        sku: 'BL-A',
        status: 'cancel_due',
        creditApplied: false,
        refundDueBy: '2026-02-27',
        pastDue: true,
      },
    ]);
  });

  it('filters: overdue only, one status, one SKU', async () => {
    const overdue = (await (
      await call('GET', '/api/v1/admin/reports/backlog?overdue=true', undefined, ADMIN_TOKEN)
    ).json()) as Report;
    expect(overdue.skus.map((s) => [s.sku, s.overdueLines, s.openLines])).toEqual([['BL-A', 2, 1]]);
    expect(overdue.summary).toMatchObject({ lines: 2, units: 3 });
    const allocated = (await (
      await call('GET', '/api/v1/admin/reports/backlog?status=allocated', undefined, ADMIN_TOKEN)
    ).json()) as Report;
    expect(allocated.skus.map((s) => s.sku)).toEqual(['BL-B']);
    const fulfilled = (await (
      await call('GET', '/api/v1/admin/reports/backlog?status=fulfilled&sku=BL-A', undefined, ADMIN_TOKEN)
    ).json()) as Report;
    expect(fulfilled.summary).toMatchObject({ lines: 1, units: 1 });
    expect((await call('GET', '/api/v1/admin/reports/backlog?status=bogus', undefined, ADMIN_TOKEN)).status).toBe(400);
  });

  it('answers CSV that a CSV library parses back to the same numbers', async () => {
    const res = await call('GET', '/api/v1/admin/reports/backlog', undefined, ADMIN_TOKEN, { accept: 'text/csv' });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const records = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      sku: 'BL-A',
      name: `'=Tee, "blue"`,
      openLines: '2',
      openUnits: '5',
      overdueLines: '2',
      eta: '2026-03-20',
      unitsOnHand: '1',
    });
    expect(records[1]).toMatchObject({ sku: 'BL-B', allocatedLines: '1', eta: '' });
  });

  it('needs an admin or marketing token', async () => {
    expect((await call('GET', '/api/v1/admin/reports/backlog', undefined, INVENTORY_TOKEN)).status).toBe(403);
    expect((await app.request('/api/v1/admin/reports/backlog')).status).toBe(401);
  });
});
