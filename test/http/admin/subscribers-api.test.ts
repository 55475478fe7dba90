import { rows } from '../../../src/db/client.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { ADMIN_TOKEN, createTestDeps, INVENTORY_TOKEN, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { createProduct, createRestockEvent, createSubscribers } from '../../helpers/factories.js';
import { asToken } from './console-helpers.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

const get = async (path: string, token = ADMIN_TOKEN) => {
  const res = await app.request(path, { headers: asToken(token) });
  return { status: res.status, body: (await res.json()) as Json };
};

/** Every text/json column of every table (but `suppressions`, which must keep the address) that contains `needle`. */
async function placesHolding(needle: string): Promise<string[]> {
  const cols = await rows<{ table_name: string; column_name: string }>(
    deps.db,
    sql`select table_name, column_name from information_schema.columns
        where table_schema = current_schema() and data_type in ('text', 'character varying', 'jsonb', 'json')`,
  );
  const found: string[] = [];
  for (const c of cols) {
    if (c.table_name === 'suppressions') continue;
    const [hit] = await rows<{ n: number }>(
      deps.db,
      sql`select count(*)::int as n from ${sql.identifier(c.table_name)} where ${sql.identifier(c.column_name)}::text ilike ${`%${needle}%`}`,
    );
    if ((hit?.n ?? 0) > 0) found.push(`${c.table_name}.${c.column_name}`);
  }
  return found;
}

describe('subscriber lookup, export and erase', () => {
  it('looks up an address: subscriptions, deliveries with SMTP replies, suppression', async () => {
    const { sku } = await createProduct(deps, { quantity: 0, name: 'Lookup Lamp' });
    const [sub] = await createSubscribers(deps, sku, 1, { name: 'Ada' });
    const eventId = await createRestockEvent(deps, sku, 3);
    await runSendPass(deps, deps.services);
    const { status, body } = await get(
      `/api/v1/admin/subscribers?email=${encodeURIComponent(sub!.email.toUpperCase())}`,
      MARKETING_TOKEN,
    );
    expect(status).toBe(200);
    expect(body.subscriptions).toEqual([
      expect.objectContaining({ sku, productName: 'Lookup Lamp', status: 'notified', name: 'Ada' }),
    ]);
    expect(body.deliveries).toEqual([
      expect.objectContaining({ templateKey: 'back-in-stock', status: 'sent', eventId }),
    ]);
    expect(body.deliveries[0].smtpResponse).toMatch(/^250/);
    expect(body.suppression).toBeNull();
    expect(body.orderLines).toEqual([]);
  });

  it('exports everything held about an address as a JSON download', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const [sub] = await createSubscribers(deps, sku, 1, { name: 'Grace' });
    await createRestockEvent(deps, sku, 2);
    await runSendPass(deps, deps.services);
    const res = await app.request(`/api/v1/admin/subscribers/export?email=${encodeURIComponent(sub!.email)}`, {
      headers: asToken(ADMIN_TOKEN),
    });
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const body = (await res.json()) as Json;
    expect(body.subscriptions[0]).toMatchObject({ email: sub!.email, name: 'Grace', sku });
    expect(body.subscriptions[0].confirmTokenHash).toBeUndefined();
    expect(body.deliveries[0]).toMatchObject({ recipient: sub!.email, templateKey: 'back-in-stock' });
    expect(body.deliveries[0].variables).toMatchObject({ productName: expect.any(String) });
    expect(body.orders).toEqual([]);
  });

  it('erase leaves no personal data anywhere, keeps tombstones so counts stay right, and suppresses the address', async () => {
    const { sku } = await createProduct(deps, { quantity: 0, name: 'Erase Lamp' });
    const subs = await createSubscribers(deps, sku, 3, { name: 'Linus Erasable' });
    const target = subs[0]!.email;
    await createRestockEvent(deps, sku, 1); // one unit: only the oldest (target) is notified
    await runSendPass(deps, deps.services);
    // A bounce text that quotes the address, as real SMTP servers do.
    await rows(
      deps.db,
      sql`update deliveries set smtp_response = ${`550 5.1.1 <${target}>: unknown`}, last_error = ${`rejected ${target}`} where recipient = ${target}`,
    );
    await rows(deps.db, sql`update subscriptions set name = 'Erin Uniquename' where email = ${target}`);
    // The shopper bought after the email: the order (results) holds the mailbox too.
    const order = {
      orderId: `erase-${sku}`,
      email: target,
      currency: 'EUR',
      lines: [{ sku, quantity: 1, unitPrice: '10.00' }],
    };
    expect(
      (
        await app.request('/api/v1/orders', {
          method: 'POST',
          headers: asToken(INVENTORY_TOKEN),
          body: JSON.stringify(order),
        })
      ).status,
    ).toBe(201);
    expect((await placesHolding(target)).length).toBeGreaterThan(0);
    const before = await get(`/api/v1/admin/reports/demand?q=${sku}`);

    const res = await app.request('/api/v1/admin/subscribers/erase', {
      method: 'POST',
      headers: asToken(ADMIN_TOKEN),
      body: JSON.stringify({ email: target }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).erased).toMatchObject({ subscriptions: 1, deliveries: 1, suppressed: true });

    expect(await placesHolding(target)).toEqual([]);
    expect(await placesHolding('Erin Uniquename')).toEqual([]);
    const kept = await rows<{ n: number }>(
      deps.db,
      sql`select count(*)::int as n from order_lines where order_id = ${order.orderId} and attributed_delivery_id is not null`,
    );
    expect(kept[0]?.n).toBe(1);
    expect(await placesHolding('Linus Erasable')).toEqual(['subscriptions.name']); // the others keep their data
    const after = await get(`/api/v1/admin/reports/demand?q=${sku}`);
    expect(after.body.rows[0]).toMatchObject({
      notified: before.body.rows[0].notified,
      active: before.body.rows[0].active,
    });
    const sup = await get(`/api/v1/admin/suppressions?q=${encodeURIComponent(target)}`);
    expect(sup.body.suppressions).toEqual([expect.objectContaining({ email: target, reason: 'erased' })]);
    const look = await get(`/api/v1/admin/subscribers?email=${encodeURIComponent(target)}`);
    expect(look.body.subscriptions).toEqual([]);
    expect(look.body.deliveries).toEqual([]);
    expect(look.body.suppression).toMatchObject({ reason: 'erased' });
  });

  it('erasing a waiting subscriber takes them off the waitlist (tombstone unsubscribed)', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const [a] = await createSubscribers(deps, sku, 2);
    await app.request('/api/v1/admin/subscribers/erase', {
      method: 'POST',
      headers: asToken(ADMIN_TOKEN),
      body: JSON.stringify({ email: a!.email }),
    });
    const { body } = await get(`/api/v1/admin/reports/demand?q=${sku}`);
    expect(body.rows[0]).toMatchObject({ active: 1, unsubscribed: 1 });
  });

  it('suppressions: list with reasons, remove one, 404 for an unknown one', async () => {
    await rows(deps.db, sql`insert into suppressions (email, reason) values ('bounce-x@mail.example', 'hard-bounce')`);
    const list = await get('/api/v1/admin/suppressions?q=bounce-x');
    expect(list.body).toMatchObject({
      total: 1,
      suppressions: [{ email: 'bounce-x@mail.example', reason: 'hard-bounce' }],
    });
    const del = await app.request('/api/v1/admin/suppressions?email=Bounce-X@mail.example', {
      method: 'DELETE',
      headers: asToken(ADMIN_TOKEN),
    });
    expect(del.status).toBe(200);
    expect((await get('/api/v1/admin/suppressions?q=bounce-x')).body.total).toBe(0);
    expect(
      (
        await app.request('/api/v1/admin/suppressions?email=bounce-x@mail.example', {
          method: 'DELETE',
          headers: asToken(ADMIN_TOKEN),
        })
      ).status,
    ).toBe(404);
  });
});
