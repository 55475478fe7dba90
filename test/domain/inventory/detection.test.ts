import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etaEvents, products, restockEvents } from '../../../src/db/schema/index.js';
import { scanInventory } from '../../../src/domain/detection/scan-inventory.js';
import { createApp } from '../../../src/http/app.js';
import { scheduledJobs } from '../../../src/jobs/index.js';
import { ADMIN_TOKEN, createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../../helpers/deps.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps({ env: { ETA_CHANGE_MIN_DAYS: '3' } });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

const put = async (sku: string, body: Record<string, unknown>) => {
  const res = await app.request(`/api/v1/inventory/${sku}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
};
const scan = () => scanInventory(deps);
const restocksOf = (sku: string) => deps.db.select().from(restockEvents).where(eq(restockEvents.sku, sku));
const etasOf = (sku: string) =>
  deps.db.select().from(etaEvents).where(eq(etaEvents.sku, sku)).orderBy(asc(etaEvents.id));
const seconds = (s: number) => deps.clock.advance(s * 1000);

describe('restock detection', () => {
  it('0 → 5 that stays for the settle window → exactly one restock, none before the window ends', async () => {
    await put('R-1', { quantity: 0 });
    await scan();
    await put('R-1', { quantity: 5, reason: 'restock' });
    await scan();
    seconds(59);
    await scan();
    expect(await restocksOf('R-1')).toHaveLength(0);
    seconds(1);
    const summary = await scan();
    expect(summary.restocks).toBeGreaterThanOrEqual(1);
    const rows = await restocksOf('R-1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sku: 'R-1', quantity: 5, detectedAt: deps.clock.now() });
    seconds(3600);
    await scan();
    await put('R-1', { quantity: 7 });
    seconds(120);
    await scan();
    expect(await restocksOf('R-1')).toHaveLength(1);
  });

  it('0 → 1 → 0 within the settle window fires nothing (with and without a scan in between)', async () => {
    await put('R-2', { quantity: 0 });
    await put('R-3', { quantity: 0 });
    await put('R-2', { quantity: 1 });
    await put('R-3', { quantity: 1 });
    seconds(10);
    await scan(); // R-3 (and R-2) enter their settle window here
    seconds(20);
    await put('R-2', { quantity: 0 });
    await put('R-3', { quantity: 0 });
    seconds(120);
    await scan();
    expect(await restocksOf('R-2')).toHaveLength(0);
    expect(await restocksOf('R-3')).toHaveLength(0);
  });

  it('an increase with reason "return" does not count, unless RESTOCK_COUNT_RETURNS', async () => {
    await put('R-4', { quantity: 0 });
    await put('R-4', { quantity: 2, reason: 'return' });
    seconds(120);
    await scan();
    expect(await restocksOf('R-4')).toHaveLength(0);
    // Real new stock on top of the returned units does count.
    await put('R-4', { quantity: 10, reason: 'restock' });
    seconds(60);
    await scan();
    expect(await restocksOf('R-4')).toHaveLength(1);

    deps.config.restock.countReturns = true;
    try {
      await put('R-5', { quantity: 0 });
      await put('R-5', { quantity: 1, reason: 'return' });
      seconds(60);
      await scan();
      expect(await restocksOf('R-5')).toHaveLength(1);
    } finally {
      deps.config.restock.countReturns = false;
    }
  });

  it('threshold 3: 0 → 2 fires nothing, then → 3 fires one', async () => {
    deps.config.restock.minQuantity = 3;
    try {
      await put('R-6', { quantity: 0 });
      await put('R-6', { quantity: 2 });
      seconds(120);
      await scan();
      expect(await restocksOf('R-6')).toHaveLength(0);
      await put('R-6', { quantity: 3 });
      seconds(60);
      await scan();
      expect(await restocksOf('R-6')).toHaveLength(1);
    } finally {
      deps.config.restock.minQuantity = 1;
    }
  });

  it('replaying a scan adds no rows: a second scan finds nothing due, a forced replay hits the unique key', async () => {
    await put('R-7', { quantity: 0 });
    await put('R-7', { quantity: 4 });
    seconds(60);
    await scan();
    expect(await restocksOf('R-7')).toHaveLength(1);
    const again = await scan();
    expect(again.restocks).toBe(0);
    // Rewind the SKU's detection state as if the batch's commit had been lost after the insert.
    await deps.db
      .update(products)
      .set({
        scannedEventId: 0,
        stockAnnounced: false,
        restockPendingSince: null,
        restockPendingEventId: null,
        scanAfter: deps.clock.now(),
      })
      .where(eq(products.sku, 'R-7'));
    const replay = await scan();
    expect(replay.restocks).toBe(0);
    expect(await restocksOf('R-7')).toHaveLength(1);
  });

  it('the scan only examines SKUs with new events or an ending settle window', async () => {
    await scan();
    await put('R-8', { quantity: 0 });
    const summary = await scan();
    expect(summary.examined).toBe(1);
    expect((await scan()).examined).toBe(0);
  });
});

describe('ETA revision detection (ETA_CHANGE_MIN_DAYS=3)', () => {
  it('first ETA → one event; a 5-day slip → one; a 2-day move → none; back and forth in one scan → none', async () => {
    await put('E-1', { quantity: 0 });
    await scan();
    await put('E-1', { quantity: 0, eta: '2026-04-01', etaReason: 'Supplier confirmed' });
    await scan();
    await put('E-1', { quantity: 0, eta: '2026-04-06', etaReason: 'Port congestion' });
    await scan();
    await put('E-1', { quantity: 0, eta: '2026-04-08' });
    await scan();
    await put('E-1', { quantity: 0, eta: '2026-04-30' });
    await put('E-1', { quantity: 0, eta: '2026-04-06' });
    await scan();
    const rows = await etasOf('E-1');
    expect(rows.map((r) => [r.oldEta, r.newEta, r.reason])).toEqual([
      [null, '2026-04-01', 'Supplier confirmed'],
      ['2026-04-01', '2026-04-06', 'Port congestion'],
    ]);
    // Moves accumulate against the last announced date: 04-06 → 04-08 (2 days) was silent, → 04-09 is 3.
    await put('E-1', { quantity: 0, eta: '2026-04-09' });
    await scan();
    expect((await etasOf('E-1')).map((r) => r.newEta)).toEqual(['2026-04-01', '2026-04-06', '2026-04-09']);
  });

  it('an earlier date counts too; an in-stock SKU gets no ETA events; a replay adds none', async () => {
    await put('E-2', { quantity: 0, eta: '2026-05-20' }); // creation: the baseline, not news
    await scan();
    expect(await etasOf('E-2')).toHaveLength(0);
    await put('E-2', { quantity: 0, eta: '2026-05-10' });
    await scan();
    await scan();
    expect((await etasOf('E-2')).map((r) => [r.oldEta, r.newEta])).toEqual([['2026-05-20', '2026-05-10']]);

    await put('E-3', { quantity: 9 });
    await put('E-3', { quantity: 9, eta: '2026-07-01' });
    await scan();
    expect(await etasOf('E-3')).toHaveLength(0);
  });
});

describe('POST /api/v1/admin/jobs/{name}/run', () => {
  const run = (name: string, token = ADMIN_TOKEN) =>
    app.request(`/api/v1/admin/jobs/${name}/run`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });

  it('runs restock-scan and returns its summary', async () => {
    await put('J-1', { quantity: 0 });
    await put('J-1', { quantity: 2 });
    seconds(60);
    const res = await run('restock-scan');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { job: string; summary: Record<string, number> };
    expect(body.job).toBe('restock-scan');
    expect(body.summary).toMatchObject({
      examined: expect.any(Number),
      restocks: 1,
      etaRevisions: 0,
      ms: expect.any(Number),
    });
    expect(await restocksOf('J-1')).toHaveLength(1);
  });

  it('unknown job → 404; disabled job → 409; inventory token → 403; no token → 401', async () => {
    expect((await run('nope')).status).toBe(404);
    expect((await run('inventory-feed')).status).toBe(409);
    expect((await run('restock-scan', INVENTORY_TOKEN)).status).toBe(403);
    expect((await app.request('/api/v1/admin/jobs/restock-scan/run', { method: 'POST' })).status).toBe(401);
  });

  it('the job list has restock-scan on RESTOCK_SCAN_CRON and the feed only when a URL is set', () => {
    const jobs = scheduledJobs(deps.config);
    expect(jobs.find((j) => j.name === 'restock-scan')).toMatchObject({ cron: '* * * * *' });
    expect(jobs.find((j) => j.name === 'inventory-feed')?.enabled).toBe(false);
    expect(
      scheduledJobs({ ...deps.config, inventoryFeedUrl: 'https://x.example/feed.csv' }).find(
        (j) => j.name === 'inventory-feed',
      )?.enabled,
    ).toBe(true);
  });
});
