import { asc, eq, like, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../../src/db/client.js';
import { inventoryEvents, products, restockEvents } from '../../../src/db/schema/index.js';
import {
  dueSkusQuery,
  newEventsSql,
  scanInventory,
  stateUpdateSql,
} from '../../../src/domain/detection/scan-inventory.js';
import { applyInventoryChanges } from '../../../src/domain/inventory/apply-inventory-changes.js';
import { applyWebhookDelivery } from '../../../src/domain/inventory/apply-webhook-delivery.js';
import { restockScanJob } from '../../../src/jobs/restock-scan.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { onPostgres } from '../../helpers/db.js';

// Races need two connections and plans need PostgreSQL's planner: this file runs on PostgreSQL only.
let deps: TestDeps;
let second: Database;
let other: TestDeps;
beforeAll(async () => {
  if (!onPostgres) return;
  deps = await createTestDeps();
  second = await createDatabase(deps.config.database);
  other = { ...deps, db: second.db };
});
afterAll(async () => {
  if (!onPostgres) return;
  await second.close();
  await deps.close();
});

const skus = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);

describe.skipIf(!onPostgres)('PostgreSQL: races', () => {
  it('two scans racing on two connections confirm each restock once', async () => {
    const list = skus('RACE', 300);
    await applyInventoryChanges(deps, { changes: list.map((sku) => ({ sku, quantity: 0 })), source: 'bulk' });
    await scanInventory(deps);
    await applyInventoryChanges(deps, { changes: list.map((sku) => ({ sku, quantity: 5 })), source: 'bulk' });
    deps.clock.advance(60_000);
    const [a, b] = await Promise.all([scanInventory(deps, { batchSize: 20 }), scanInventory(other, { batchSize: 20 })]);
    expect(a.restocks + b.restocks).toBe(300);
    const rows = await deps.db.select().from(restockEvents).where(like(restockEvents.sku, 'RACE-%'));
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.sku)).size).toBe(300);
  });

  it('the restock-scan job on two instances at once: one event per SKU (the advisory lock lets one run)', async () => {
    const list = skus('JOB', 100);
    await applyInventoryChanges(deps, { changes: list.map((sku) => ({ sku, quantity: 0 })), source: 'bulk' });
    await scanInventory(deps);
    await applyInventoryChanges(deps, { changes: list.map((sku) => ({ sku, quantity: 2 })), source: 'bulk' });
    deps.clock.advance(60_000);
    const signal = new AbortController().signal;
    const results = await Promise.all([
      restockScanJob(deps, deps.services, signal),
      restockScanJob(other, other.services, signal),
    ]);
    const ran = results.filter((r) => !r.skipped);
    expect(ran.length).toBeGreaterThanOrEqual(1);
    expect(await deps.db.select().from(restockEvents).where(like(restockEvents.sku, 'JOB-%'))).toHaveLength(100);
  });

  it('while another instance holds the restock-scan lock, a tick is skipped and changes nothing', async () => {
    const raw = deps.raw;
    if (raw.kind !== 'postgres') throw new Error('postgres only');
    await applyInventoryChanges(deps, { changes: [{ sku: 'LOCK-1', quantity: 0 }], source: 'api' });
    const holder = await raw.sql.reserve();
    try {
      await holder`select pg_advisory_lock(72616002, hashtext('restock-scan'))`;
      const summary = await restockScanJob(other, other.services, new AbortController().signal);
      expect(summary).toMatchObject({ skipped: true });
      const [p] = await deps.db.select().from(products).where(eq(products.sku, 'LOCK-1'));
      expect(p!.scanAfter).not.toBeNull();
    } finally {
      await holder`select pg_advisory_unlock(72616002, hashtext('restock-scan'))`;
      holder.release();
    }
    expect(await restockScanJob(other, other.services, new AbortController().signal)).toMatchObject({
      examined: expect.any(Number),
    });
  });

  it('concurrent updates of one SKU from two connections keep a gap-free history', async () => {
    await applyInventoryChanges(deps, { changes: [{ sku: 'CONC-1', quantity: 0 }], source: 'api' });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        applyInventoryChanges(i % 2 ? deps : other, { changes: [{ sku: 'CONC-1', quantity: i + 1 }], source: 'api' }),
      ),
    );
    const events = await deps.db
      .select()
      .from(inventoryEvents)
      .where(eq(inventoryEvents.sku, 'CONC-1'))
      .orderBy(asc(inventoryEvents.id));
    expect(events).toHaveLength(21);
    for (let i = 1; i < events.length; i++) expect(events[i]!.oldQuantity).toBe(events[i - 1]!.newQuantity);
    const [p] = await deps.db.select().from(products).where(eq(products.sku, 'CONC-1'));
    expect(p!.quantity).toBe(events.at(-1)!.newQuantity);
  });

  it('the same webhook delivered twice at once on two connections is applied once', async () => {
    const delivery = {
      provider: 'shopify' as const,
      deliveryId: 'race-delivery',
      bodyHash: 'race-body',
      changes: [{ sku: 'WH-RACE', quantity: 3 }],
    };
    const results = await Promise.all([applyWebhookDelivery(deps, delivery), applyWebhookDelivery(other, delivery)]);
    expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(await deps.db.select().from(inventoryEvents).where(eq(inventoryEvents.sku, 'WH-RACE'))).toHaveLength(1);
  });
});

describe.skipIf(!onPostgres)('PostgreSQL: the scan uses indexes, not a full scan', () => {
  it('EXPLAIN of the claim, event and state-update statements shows no Seq Scan on products or inventory_events', async () => {
    const raw = deps.raw;
    if (raw.kind !== 'postgres') throw new Error('postgres only');
    await scanInventory(deps); // nothing else due
    const due1h = new Date(deps.clock.now().getTime() - 3_600_000).toISOString();
    // 20,000 products with 3 events each; 1,000 of them changed (due).
    await raw.sql`insert into products (sku, name, quantity, scanned_event_id)
                  select 'PLAN-' || lpad(g::text, 6, '0'), 'Plan ' || g, 0, 0 from generate_series(1, 20000) g`;
    await raw.sql`insert into inventory_events (sku, old_quantity, new_quantity, source, received_at)
                  select 'PLAN-' || lpad(g::text, 6, '0'), r, r + 1, 'api', now() from generate_series(1, 20000) g, generate_series(0, 2) r`;
    await raw.sql`update products set scan_after = ${due1h}::timestamptz where sku between 'PLAN-000001' and 'PLAN-001000'`;
    await raw.sql`analyze products`;
    await raw.sql`analyze inventory_events`;

    const dialect = new PgDialect();
    const explain = async (q: { sql: string; params: unknown[] }) =>
      (await raw.sql.unsafe(`explain ${q.sql}`, q.params as never[]))
        .map((r) => (r as Record<string, string>)['QUERY PLAN'])
        .join('\n');

    const due = await dueSkusQuery(deps.db, deps.clock.now(), 500);
    expect(due.length).toBe(500);
    const claimPlan = await explain(dueSkusQuery(deps.db, deps.clock.now(), 500).toSQL());
    const eventsPlan = await explain(
      dialect.sqlToQuery(newEventsSql(due.map((d) => ({ sku: d.sku, after: d.scannedEventId })))),
    );
    const updatePlan = await explain(dialect.sqlToQuery(stateUpdateSql(due.map((d) => ({ ...d, scanAfter: null })))));
    console.log(`claim plan:\n${claimPlan}\n\nevents plan:\n${eventsPlan}\n\nstate update plan:\n${updatePlan}`);
    for (const plan of [claimPlan, eventsPlan, updatePlan])
      expect(plan).not.toMatch(/Seq Scan on (products|inventory_events)/);
    expect(claimPlan).toMatch(/products_scan_after_idx/);
    expect(eventsPlan).toMatch(/inventory_events_sku_id_idx/);

    // And the real scan over them: 1,000 SKUs examined, nothing else, nothing left due (their
    // 0 → 1 increases are now pending restocks waiting for the settle window).
    const summary = await scanInventory(deps);
    expect(summary.examined).toBe(1000);
    const left = await deps.db
      .select({ n: sql<number>`count(*)::int` })
      .from(products)
      .where(sql`${products.scanAfter} <= ${deps.clock.now().toISOString()}::timestamptz`);
    expect(left[0]!.n).toBe(0);
  });
});
