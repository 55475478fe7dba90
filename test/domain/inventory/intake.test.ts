import { readFile } from 'node:fs/promises';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryEvents, products } from '../../../src/db/schema/index.js';
import { createApp } from '../../../src/http/app.js';
import { ADMIN_TOKEN, createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../../helpers/deps.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

const put = (sku: string, body: unknown, token = INVENTORY_TOKEN) =>
  app.request(`/api/v1/inventory/${encodeURIComponent(sku)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const bulk = (body: string, type: string, token = INVENTORY_TOKEN) =>
  app.request('/api/v1/inventory', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body,
  });
const eventsOf = (sku: string) =>
  deps.db.select().from(inventoryEvents).where(eq(inventoryEvents.sku, sku)).orderBy(asc(inventoryEvents.id));

describe('PUT /api/v1/inventory/{sku}', () => {
  it('creates the product (name defaults to the SKU), records a creation event, then updates', async () => {
    const res = await put('PUT-1', { quantity: 0 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { outcome: string; product: Record<string, unknown> };
    expect(body.outcome).toBe('created');
    expect(body.product).toMatchObject({ sku: 'PUT-1', name: 'PUT-1', quantity: 0, eta: null, backorderable: false });

    deps.clock.advance(1000);
    const upd = await put('PUT-1', {
      quantity: 4,
      name: 'Blue tee',
      eta: '2026-04-01',
      etaReason: 'supplier',
      reason: 'restock',
    });
    expect(((await upd.json()) as { outcome: string }).outcome).toBe('updated');
    const events = await eventsOf('PUT-1');
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ oldQuantity: null, newQuantity: 0, source: 'api' });
    expect(events[1]).toMatchObject({
      oldQuantity: 0,
      newQuantity: 4,
      oldEta: null,
      newEta: '2026-04-01',
      etaReason: 'supplier',
      reason: 'restock',
      source: 'api',
      receivedAt: deps.clock.now(),
    });
    const [p] = await deps.db.select().from(products).where(eq(products.sku, 'PUT-1'));
    expect(p).toMatchObject({ name: 'Blue tee', quantity: 4, eta: '2026-04-01' });
  });

  it('an update that changes nothing appends no event; a name-only change updates without history', async () => {
    await put('PUT-2', { quantity: 3 });
    const again = await put('PUT-2', { quantity: 3 });
    expect(((await again.json()) as { outcome: string }).outcome).toBe('unchanged');
    const renamed = await put('PUT-2', { quantity: 3, name: 'Renamed' });
    expect(((await renamed.json()) as { outcome: string }).outcome).toBe('updated');
    expect(await eventsOf('PUT-2')).toHaveLength(1);
  });

  it('a SKU with a slash and spaces works percent-encoded in the path', async () => {
    const res = await put('AB/12 #3', { quantity: 2 });
    expect(res.status).toBe(200);
    const avail = await app.request(`/api/v1/products/${encodeURIComponent('AB/12 #3')}/availability`);
    expect(await avail.json()).toMatchObject({ sku: 'AB/12 #3', status: 'in_stock' });
  });

  it('validates: negative quantity, impossible date → 400 VALIDATION with details', async () => {
    const res = await put('PUT-3', { quantity: -1, eta: '2026-02-30' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['eta', 'quantity']);
    expect(await eventsOf('PUT-3')).toHaveLength(0);
  });

  it('no token → 401, unknown token → 401, admin token → 403; nothing applied', async () => {
    const none = await app.request('/api/v1/inventory/AUTH-1', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"quantity":1}',
    });
    expect(none.status).toBe(401);
    expect((await put('AUTH-1', { quantity: 1 }, 'not-a-real-token')).status).toBe(401);
    const wrongScope = await put('AUTH-1', { quantity: 1 }, ADMIN_TOKEN);
    expect(wrongScope.status).toBe(403);
    expect(((await wrongScope.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect((await bulk('[]', 'application/json', ADMIN_TOKEN)).status).toBe(403);
    expect(await deps.db.select().from(products).where(eq(products.sku, 'AUTH-1'))).toHaveLength(0);
  });
});

describe('POST /api/v1/inventory (bulk)', () => {
  it('JSON array: good rows applied in one go, bad rows reported with row numbers', async () => {
    const res = await bulk(
      JSON.stringify([
        { sku: 'BULK-1', quantity: 2 },
        { sku: 'BULK-2', quantity: 'x' },
        { quantity: 1 },
        { sku: 'BULK-3', quantity: 0, eta: '2026-05-01', backorderable: true },
        { sku: 'BULK-1', quantity: 3 },
      ]),
      'application/json',
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      created: number;
      updated: number;
      rejected: number;
      errors: { row: number; sku?: string }[];
    };
    expect(body).toMatchObject({ received: 5, created: 2, updated: 1, unchanged: 0, rejected: 2 });
    expect(body.errors.map((e) => [e.row, e.sku])).toEqual([
      [2, 'BULK-2'],
      [3, undefined],
    ]);
    const events = await eventsOf('BULK-1');
    expect(events.map((e) => [e.oldQuantity, e.newQuantity, e.source])).toEqual([
      [null, 2, 'bulk'],
      [2, 3, 'bulk'],
    ]);
  });

  it('CSV with quoted commas, escaped quotes, a multi-line cell and bad rows', async () => {
    const csv = await readFile(new URL('../../fixtures/inventory-bulk.csv', import.meta.url), 'utf8');
    const res = await bulk(csv, 'text/csv; charset=utf-8');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      created: number;
      rejected: number;
      errors: { row: number; line: number; sku: string; errors: { path: string }[] }[];
    };
    expect(body.created).toBe(3);
    expect(body.errors.map((e) => [e.row, e.line, e.sku, e.errors[0]!.path])).toEqual([
      [3, 4, 'CSV-3', 'quantity'],
      [4, 5, 'CSV-4', 'eta'],
    ]);
    const rows = await deps.db.select().from(products).where(eq(products.sku, 'CSV-2'));
    expect(rows[0]).toMatchObject({
      name: 'Poster "Big" 50x70',
      quantity: 0,
      eta: '2026-04-15',
      etaReason: 'Delayed at port, new ship date',
      backorderable: true,
    });
    const [mug] = await deps.db.select().from(products).where(eq(products.sku, 'CSV-1'));
    expect(mug!.name).toBe('Mug, red');
    const [multi] = await eventsOf('CSV-5');
    expect(multi).toMatchObject({ newQuantity: 1, reason: 'return', source: 'bulk' });
  });

  it('CSV: an empty eta cell clears the ETA; an unparsable CSV or one without sku column is a 400', async () => {
    await bulk('sku,quantity,eta\nCSV-CLR,0,2026-06-01\n', 'text/csv');
    await bulk('sku,quantity,eta\nCSV-CLR,0,\n', 'text/csv');
    const [p] = await deps.db.select().from(products).where(eq(products.sku, 'CSV-CLR'));
    expect(p!.eta).toBeNull();
    expect((await bulk('sku,quantity\n"unterminated,1\n', 'text/csv')).status).toBe(400);
    expect((await bulk('item,quantity\nA,1\n', 'text/csv')).status).toBe(400);
  });

  it('more than 10,000 rows → 413, nothing applied; not an array → 400; other media type → 415', async () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => `BIG-${i},1`).join('\n');
    const big = await bulk(`sku,quantity\n${rows}\n`, 'text/csv');
    expect(big.status).toBe(413);
    expect(await deps.db.select().from(products).where(eq(products.sku, 'BIG-1'))).toHaveLength(0);
    expect((await bulk('{"sku":"X","quantity":1}', 'application/json')).status).toBe(400);
    expect((await bulk('<xml/>', 'application/xml')).status).toBe(415);
  });

  it('10,000 rows in one request are applied', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `MANY-${i},${i % 3}`).join('\n');
    const res = await bulk(`sku,quantity\n${rows}\n`, 'text/csv');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { created: number }).created).toBe(10_000);
  }, 120_000); // two shared cores under a full parallel suite
});

describe('GET /api/v1/products/{sku}/availability', () => {
  it('in_stock, out_of_stock with ETA, backorder; unknown → 404 UNKNOWN_SKU', async () => {
    await put('AV-IN', { quantity: 2, name: 'In', eta: '2026-09-01' });
    await put('AV-OUT', { quantity: 0, name: 'Out', eta: '2026-04-02', etaReason: 'Next container' });
    await put('AV-BO', { quantity: 0, name: 'Back', backorderable: true });
    const get = async (sku: string) => (await app.request(`/api/v1/products/${sku}/availability`)).json();
    expect(await get('AV-IN')).toEqual({
      sku: 'AV-IN',
      name: 'In',
      url: null,
      imageUrl: null,
      status: 'in_stock',
      eta: null,
      etaReason: null,
      waiting: null,
    });
    expect(await get('AV-OUT')).toEqual({
      sku: 'AV-OUT',
      name: 'Out',
      url: null,
      imageUrl: null,
      status: 'out_of_stock',
      eta: '2026-04-02',
      etaReason: 'Next container',
      waiting: null,
    });
    expect(await get('AV-BO')).toMatchObject({ status: 'backorder' });
    const missing = await app.request('/api/v1/products/NOPE/availability');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('UNKNOWN_SKU');
  });
});
