import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backorders } from '../../../src/db/schema/index.js';
import { createOrderToken } from '../../../src/domain/backorders/order-tokens.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, INVENTORY_TOKEN, TEST_SECRET, type TestDeps } from '../../helpers/deps.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
const call = (method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const form = (path: string, body: string) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

async function lineWithNotice(orderId: string, locale?: string) {
  await call('POST', '/api/v1/backorders', {
    orderId,
    sku: 'PG-1',
    email: `${orderId}@example.com`,
    quantity: 1,
    promisedDate: '2026-03-10',
    ...(locale ? { locale } : {}),
  });
  await call('PATCH', `/api/v1/backorders/${orderId}/PG-1`, {
    promisedDate: '2026-04-20',
    reason: 'Container stuck in port',
  });
  const [row] = await deps.db
    .update(backorders)
    .set({ noticeRevision: 1, noticedDate: '2026-04-20', awaitingAnswer: true, consentDeadline: '2026-04-09' })
    .where(eq(backorders.orderId, orderId))
    .returning();
  return { row: row!, path: `/orders/${createOrderToken(TEST_SECRET, row!.id)}` };
}

beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
  await call('PUT', '/api/v1/inventory/PG-1', { quantity: 0, name: 'Trail Runner 2', backorderable: true });
});
afterAll(() => deps.close());

describe('GET/POST /orders/{token}', () => {
  it('shows the item, both dates, the reason, the deadline and the choice; a GET records nothing', async () => {
    const { path, row } = await lineWithNotice('PG-100');
    const res = await app.request(path);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('1 × Trail Runner 2');
    expect(page).toContain('March 10, 2026');
    expect(page).toContain('April 20, 2026');
    expect(page).toContain('Container stuck in port');
    expect(page).toContain('we will cancel your order and refund you in full on April 9, 2026');
    expect(page).toMatch(/<button[^>]*name="choice"[^>]*value="wait"/);
    expect(page).toMatch(/<button[^>]*name="choice"[^>]*value="cancel"/);
    await app.request(path);
    const [after] = await deps.db.select().from(backorders).where(eq(backorders.id, row.id));
    expect(after).toMatchObject({ status: 'open', awaitingAnswer: true, customerAnswer: null });
  });

  it('"Keep my order" keeps the line open and ends the wait; repeating it changes nothing', async () => {
    const { path, row } = await lineWithNotice('PG-101');
    const res = await form(path, 'choice=wait');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('we&#39;ll keep your order');
    expect((await form(path, 'choice=wait')).status).toBe(200);
    const [after] = await deps.db.select().from(backorders).where(eq(backorders.id, row.id));
    expect(after).toMatchObject({
      status: 'open',
      awaitingAnswer: false,
      consentDeadline: null,
      customerAnswer: 'wait',
    });
    const history = (await (await call('GET', '/api/v1/backorders/PG-101/PG-1')).json()) as {
      events: { type: string; answer: string | null }[];
    };
    expect(history.events.filter((e) => e.type === 'answer').map((e) => e.answer)).toEqual(['wait']);
  });

  it('"Cancel and refund" cancels; afterwards the line cannot be changed from the page', async () => {
    const { path, row } = await lineWithNotice('PG-102', 'de-DE');
    const res = await form(path, 'choice=cancel');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Ihre Bestellung ist storniert');
    const [after] = await deps.db.select().from(backorders).where(eq(backorders.id, row.id));
    expect(after).toMatchObject({ status: 'cancelled', customerAnswer: 'cancel' });
    expect((await form(path, 'choice=wait')).status).toBe(409);
    const page = await (await app.request(path)).text();
    expect(page).toContain('Storniert');
    expect(page).not.toContain('name="choice"');
  });

  it('a forged or malformed token is a 404 page; a POST without a choice is a 400 page', async () => {
    const { path } = await lineWithNotice('PG-103');
    expect((await app.request(`/orders/${createOrderToken('another-secret-of-some-length-123456', 1)}`)).status).toBe(
      404,
    );
    expect((await app.request('/orders/garbage')).status).toBe(404);
    expect((await form(path, 'choice=maybe')).status).toBe(400);
  });
});

describe('order page: cancel until shipped, history from the order date, its own footer', () => {
  it('an allocated line offers "Cancel and refund" only; cancelling shows the refund due date; the history starts at orderedAt', async () => {
    await call('POST', '/api/v1/backorders', {
      orderId: 'PG-300',
      sku: 'PG-1',
      email: 'pg-300@example.com',
      quantity: 1,
      promisedDate: '2026-03-20',
      orderedAt: '2026-02-14T09:00:00Z',
    });
    await call('PATCH', '/api/v1/backorders/PG-300/PG-1', { status: 'allocated' });
    const [row] = await deps.db.select().from(backorders).where(eq(backorders.orderId, 'PG-300'));
    const path = `/orders/${createOrderToken(TEST_SECRET, row!.id)}`;
    const page = await (await app.request(path)).text();
    expect(page).toContain('Changed your mind?');
    expect(page).not.toMatch(/<button[^>]*value="wait"/);
    expect(page).toMatch(/<button[^>]*name="choice"[^>]*value="cancel"/);
    // Registered on 1 March, ordered on 14 February: the history begins when the customer ordered.
    expect(page).toMatch(/<li><time datetime="2026-02-14T09:00:00.000Z">February 14, 2026<\/time>: Order received/);
    expect(page).toContain('Order updates from');
    expect(page).not.toContain('We only email you about what you asked for');
    expect((await form(path, 'choice=cancel')).status).toBe(200);
    const after = await (await app.request(path)).text();
    expect(after).toContain('Refund due by March 10, 2026');
    expect(after).not.toContain('Changed your mind?');
  });

  it('a cancel_due line offers the choice to keep waiting (express consent) or cancel', async () => {
    await call('POST', '/api/v1/backorders', {
      orderId: 'PG-400',
      sku: 'PG-1',
      email: 'pg-400@example.com',
      quantity: 1,
      promisedDate: '2026-02-20',
      orderedAt: '2026-01-20T09:00:00Z',
    });
    const [row] = await deps.db.select().from(backorders).where(eq(backorders.orderId, 'PG-400'));
    expect(row!.status).toBe('cancel_due');
    const page = await (await app.request(`/orders/${createOrderToken(TEST_SECRET, row!.id)}`)).text();
    expect(page).toContain('We will cancel this item and refund you in full, unless you choose to keep waiting.');
    expect(page).toMatch(/<button[^>]*value="wait"/);
  });
});
