import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows as dbRows } from '../../../src/db/client.js';
import { applyRetention } from '../../../src/domain/retention/apply-retention.js';
import { scanInventory } from '../../../src/domain/detection/scan-inventory.js';
import { createApp } from '../../../src/http/app.js';
import { ADMIN_TOKEN, createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { uid } from '../../helpers/factories.js';

/** Retention (issue 12 point 8) on an injected clock: what is old goes, what anything still needs stays. */
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps({
    env: {
      RESTOCK_SETTLE_SECONDS: '0',
      RETENTION_WEBHOOK_RECEIPTS_DAYS: '30',
      RETENTION_INVENTORY_EVENTS_DAYS: '90',
      RETENTION_DELIVERIES_DAYS: '60',
    },
  });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

const DAY = 86_400_000;
const put = async (sku: string, quantity: number) => {
  const res = await app.request(`/api/v1/inventory/${sku}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ quantity }),
  });
  expect(res.status).toBe(200);
  await scanInventory(deps);
};
const eventIds = async (sku: string) =>
  (await dbRows<{ id: number }>(deps.db, sql`select id from inventory_events where sku = ${sku} order by id`)).map(
    (r) => r.id,
  );

async function delivery(status: string, updatedDaysAgo: number): Promise<number> {
  const at = new Date(deps.clock.now().getTime() - updatedDaysAgo * DAY).toISOString();
  const [row] = await dbRows<{ id: number }>(
    deps.db,
    sql`
    insert into deliveries (kind, dedupe_key, recipient, recipient_normalized, template_key, variables, bulk, priority, status, next_attempt_at, created_at, updated_at)
    values ('back-in-stock', ${`test:${uid()}`}, 'r@mail.example', 'r@mail.example', 'back-in-stock', '{}'::jsonb, true, 1,
      ${status}::delivery_status, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz) returning id`,
  );
  return row!.id;
}

async function receipt(daysAgo: number): Promise<string> {
  const id = uid();
  await dbRows(
    deps.db,
    sql`insert into webhook_receipts (provider, delivery_id, received_at) values ('shopify', ${id}, ${new Date(deps.clock.now().getTime() - daysAgo * DAY).toISOString()}::timestamptz)`,
  );
  return id;
}

describe('retention job', () => {
  it('POST /api/v1/admin/jobs/retention/run deletes old rows and keeps what detection, the sender and reports need', async () => {
    // 200 days ago: SKU A is created, restocked (a restock event points at that event), sold down, all scanned.
    deps.clock.advance(-200 * DAY);
    const a = `RET-A-${uid()}`;
    await put(a, 0);
    await put(a, 5);
    await put(a, 3);
    await put(a, 1);
    const [created, restocked, third, last] = await eventIds(a);
    // SKU B's history was never scanned (the cursor is still 0): all of it is pending work.
    const b = `RET-B-${uid()}`;
    await dbRows(deps.db, sql`insert into products (sku, name, quantity) values (${b}, 'B', 0)`);
    await dbRows(
      deps.db,
      sql`insert into inventory_events (sku, old_quantity, new_quantity, source, received_at) values (${b}, 0, 2, 'api', ${deps.clock.now().toISOString()}::timestamptz), (${b}, 2, 0, 'api', ${deps.clock.now().toISOString()}::timestamptz)`,
    );
    deps.clock.advance(200 * DAY);

    const oldReceipt = await receipt(31);
    const newReceipt = await receipt(29);
    const oldSent = await delivery('sent', 61);
    const oldFailed = await delivery('failed', 61);
    const oldSkipped = await delivery('skipped', 61);
    const oldQueued = await delivery('queued', 61);
    const oldRetry = await delivery('retry', 61);
    const newSent = await delivery('sent', 59);

    const res = await app.request('/api/v1/admin/jobs/retention/run', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const { summary } = (await res.json()) as { summary: Record<string, unknown> };
    expect(summary).toMatchObject({ webhookReceipts: 1, inventoryEvents: 2, deliveries: 3 });

    expect(await eventIds(a)).toEqual([restocked, last]);
    expect([created, third].every((id) => id !== undefined)).toBe(true);
    expect(await eventIds(b)).toHaveLength(2);
    const receipts = (
      await dbRows<{ delivery_id: string }>(
        deps.db,
        sql`select delivery_id from webhook_receipts where delivery_id in (${oldReceipt}, ${newReceipt})`,
      )
    ).map((r) => r.delivery_id);
    expect(receipts).toEqual([newReceipt]);
    const left = (
      await dbRows<{ id: number }>(
        deps.db,
        sql`select id from deliveries where id in (${oldSent}, ${oldFailed}, ${oldSkipped}, ${oldQueued}, ${oldRetry}, ${newSent}) order by id`,
      )
    ).map((r) => r.id);
    expect(left).toEqual([oldQueued, oldRetry, newSent]);

    // A second run finds nothing left to delete.
    expect(await applyRetention(deps)).toMatchObject({ webhookReceipts: 0, inventoryEvents: 0, deliveries: 0 });
  });

  it('works in bounded batches: many statements of at most the batch size, same result', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(await delivery('sent', 100));
    const keep = await delivery('queued', 100);
    for (let i = 0; i < 5; i++) await receipt(40);
    const summary = await applyRetention(deps, { batchSize: 2 });
    expect(summary.deliveries).toBe(7);
    expect(summary.webhookReceipts).toBe(5);
    expect(summary.statements).toBeGreaterThan(6);
    const left = await dbRows<{ id: number }>(
      deps.db,
      sql`select id from deliveries where id = any(${`{${[...ids, keep].join(',')}}`}::bigint[])`,
    );
    expect(left.map((r) => r.id)).toEqual([keep]);
  });

  it('a window of 0 keeps that table forever', async () => {
    const id = await delivery('sent', 5000);
    const summary = await applyRetention({
      ...deps,
      config: { ...deps.config, retention: { ...deps.config.retention, deliveriesDays: 0 } },
    });
    expect(summary.cutoffs.deliveries).toBeNull();
    expect(await dbRows(deps.db, sql`select id from deliveries where id = ${id}`)).toHaveLength(1);
  });
});
