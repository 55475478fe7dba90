import { rows } from '../../../src/db/client.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { createProduct, createRestockEvent, createSubscribers, uid } from '../../helpers/factories.js';
import { asToken } from './console-helpers.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const tag = uid();

const get = async (path: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers: asToken(MARKETING_TOKEN, headers) });

/** One subscription with a chosen status and signup time (days before the test clock's now). */
async function sub(sku: string, status: string, daysAgo: number) {
  const email = `r-${uid()}@mail.example`;
  const at = new Date(deps.clock.now().getTime() - daysAgo * 86_400_000).toISOString();
  await rows(
    deps.db,
    sql`insert into subscriptions (email, email_normalized, sku, status, created_at, confirmed_at)
    values (${email}, ${email}, ${sku}, ${status}::subscription_status, ${at}::timestamptz, ${status === 'pending' ? null : at}::timestamptz)`,
  );
}

let lamp: string;
let chair: string;

beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
  lamp = (await createProduct(deps, { quantity: 0, name: `Lamp ${tag}` })).sku;
  chair = (await createProduct(deps, { quantity: 0, name: `=Chair ${tag}` })).sku; // a name that would be a spreadsheet formula
  await rows(deps.db, sql`update products set eta = '2026-04-15' where sku = ${lamp}`);
  for (const [status, days] of [
    ['active', 20],
    ['active', 3],
    ['active', 1],
    ['pending', 2],
    ['notified', 30],
    ['unsubscribed', 10],
  ] as const)
    await sub(lamp, status, days);
  for (const [status, days] of [
    ['active', 40],
    ['pending', 0],
  ] as const)
    await sub(chair, status, days);
});
afterAll(() => deps.close());

describe('demand report', () => {
  it('counts the waitlist per SKU', async () => {
    const body = (await (await get(`/api/v1/admin/reports/demand?q=${tag}`)).json()) as Json;
    expect(body.total).toBe(2);
    const byName = Object.fromEntries(body.rows.map((r: Json) => [r.sku, r]));
    expect(byName[lamp]).toMatchObject({
      active: 3,
      pending: 1,
      notified: 1,
      unsubscribed: 1,
      new7d: 3,
      quantity: 0,
      eta: '2026-04-15',
    });
    expect(byName[lamp].oldestWaiting).toBe(new Date(deps.clock.now().getTime() - 20 * 86_400_000).toISOString());
    expect(byName[chair]).toMatchObject({ active: 1, pending: 1, notified: 0, new7d: 1, eta: null });
  });

  it('sorts by any column and searches by SKU or name', async () => {
    const byActive = (await (await get(`/api/v1/admin/reports/demand?q=${tag}&sort=active`)).json()) as Json;
    expect(byActive.rows.map((r: Json) => r.sku)).toEqual([lamp, chair]);
    const oldest = (await (await get(`/api/v1/admin/reports/demand?q=${tag}&sort=oldestWaiting`)).json()) as Json;
    expect(oldest.rows.map((r: Json) => r.sku)).toEqual([chair, lamp]);
    const bySku = (await (
      await get(`/api/v1/admin/reports/demand?q=${encodeURIComponent(chair.toLowerCase())}`)
    ).json()) as Json;
    expect(bySku.rows.map((r: Json) => r.sku)).toEqual([chair]);
    expect((await get('/api/v1/admin/reports/demand?sort=bogus')).status).toBe(400);
  });

  it('exports CSV (Accept: text/csv) that a CSV parser reads back to the same numbers', async () => {
    const res = await get(`/api/v1/admin/reports/demand?q=${tag}`, { accept: 'text/csv' });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="demand-2026-03-01\.csv"/);
    const records = parse(await res.text(), { columns: true, bom: true }) as Record<string, string>[];
    expect(records).toHaveLength(2);
    const l = records.find((r) => r.sku === lamp);
    expect(l).toMatchObject({
      name: `Lamp ${tag}`,
      active: '3',
      pending: '1',
      notified: '1',
      new_7d: '3',
      eta: '2026-04-15',
      backorderable: 'false',
    });
    expect(records.find((r) => r.sku === chair)?.name).toBe(`'=Chair ${tag}`);
    const viaQuery = await get(`/api/v1/admin/reports/demand?q=${tag}&format=csv`);
    expect(viaQuery.headers.get('content-type')).toMatch(/^text\/csv/);
  });

  it('daily signups for a SKU, zero-filled', async () => {
    const body = (await (await get(`/api/v1/admin/reports/demand/${lamp}/daily?days=7`)).json()) as Json;
    expect(body.days.map((d: Json) => d.date)).toEqual([
      '2026-02-23',
      '2026-02-24',
      '2026-02-25',
      '2026-02-26',
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
    expect(body.days.map((d: Json) => d.signups)).toEqual([0, 0, 0, 1, 1, 1, 0]);
  });
});

describe('deliveries report', () => {
  it('shows per-event progress and recent failures with the SMTP reply', async () => {
    const { sku } = await createProduct(deps, { quantity: 0, name: 'Report Lamp' });
    const subs = await createSubscribers(deps, sku, 3);
    const eventId = await createRestockEvent(deps, sku, 10);
    await runSendPass(deps, deps.services);
    await rows(
      deps.db,
      sql`update deliveries set status = 'failed', smtp_response = '550 5.1.1 No such user', last_error = 'hard bounce' where recipient = ${subs[0]!.email}`,
    );
    const body = (await (await get(`/api/v1/admin/reports/deliveries?sku=${sku}`)).json()) as Json;
    expect(body.events).toEqual([
      expect.objectContaining({
        kind: 'restock',
        eventId,
        sku,
        productName: 'Report Lamp',
        total: 3,
        sent: 2,
        failed: 1,
        queued: 0,
      }),
    ]);
    expect(body.failures).toEqual([
      expect.objectContaining({
        recipient: subs[0]!.email,
        status: 'failed',
        smtpResponse: '550 5.1.1 No such user',
        sku,
      }),
    ]);
    expect(body.summary.total).toBeGreaterThanOrEqual(3);
  });
});
