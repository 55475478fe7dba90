import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { backorders } from '../../../src/db/schema/index.js';
import { createOrderToken } from '../../../src/domain/backorders/order-tokens.js';
import { createApp } from '../../../src/http/app.js';
import { backorderDailyJob } from '../../../src/jobs/backorder-daily.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { createTestDeps, INVENTORY_TOKEN, TEST_SECRET, type TestDeps } from '../../helpers/deps.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { uid } from '../../helpers/factories.js';

const SIGNING_SECRET = 'whsec-0123456789abcdef';
let deps: TestDeps;
let sink: SmtpSink;
let hooks: WebhookReceiver;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  sink = await startSmtpSink();
  hooks = await startWebhookReceiver();
  deps = await createTestDeps({
    smtpUrl: sink.url,
    env: { ORDER_EVENTS_WEBHOOK_URL: hooks.url, WEBHOOK_SIGNING_SECRET: SIGNING_SECRET, RETRY_BASE_SECONDS: '60' },
  });
  app = createApp(deps, deps.services);
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
  await hooks?.close();
});

const sendAll = () => runSendPass(deps, deps.services);
const api = (method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const line = async (orderId: string) =>
  (await deps.db.select().from(backorders).where(eq(backorders.orderId, orderId)))[0]!;
const eventsFor = (orderId: string) =>
  hooks.received.filter((r) => (r.json as { data: { orderId: string } }).data.orderId === orderId);

/** An open line that got a consent-required delay notice (definite date 40 days late). */
async function delayedLine() {
  const sku = `OE-${uid()}`;
  await api('PUT', `/api/v1/inventory/${sku}`, { quantity: 0, backorderable: true });
  const orderId = `OE-${uid()}`;
  const email = `${orderId.toLowerCase()}@mail.example`;
  await api('POST', '/api/v1/backorders', { orderId, sku, email, quantity: 1, promisedDate: '2026-03-10' });
  await api('PATCH', `/api/v1/backorders/${orderId}/${sku}`, { promisedDate: '2026-04-19', reason: 'Factory closed' });
  const l = await line(orderId);
  return { orderId, sku, email, path: `/orders/${createOrderToken(TEST_SECRET, l.id)}` };
}
const answer = (path: string, choice: string) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `choice=${choice}`,
  });

describe('order events webhook (ORDER_EVENTS_WEBHOOK_URL)', () => {
  it('"Cancel and refund" → cancelled and one signed backorder.customer_cancelled POST; a GET sends nothing', async () => {
    const o = await delayedLine();
    await app.request(o.path);
    await app.request(`${o.path}?choice=cancel`);
    await sendAll();
    expect(eventsFor(o.orderId)).toHaveLength(0);
    await answer(o.path, 'cancel');
    await answer(o.path, 'cancel');
    await sendAll();
    const [hit, ...more] = eventsFor(o.orderId);
    expect(more).toHaveLength(0);
    expect(hit!.headers['content-type']).toBe('application/json');
    const expected = `sha256=${createHmac('sha256', SIGNING_SECRET).update(hit!.raw).digest('hex')}`;
    expect(hit!.headers['x-restock-signature']).toBe(expected);
    expect(hit!.json).toMatchObject({
      type: 'backorder.customer_cancelled',
      createdAt: deps.clock.now().toISOString(),
      data: { orderId: o.orderId, sku: o.sku, status: 'cancelled', customerAnswer: 'cancel' },
    });
    expect(Object.keys(hit!.json as object).sort()).toEqual(['createdAt', 'data', 'id', 'type']);
    expect((await line(o.orderId)).status).toBe('cancelled');
  });

  it('"Keep my order" → backorder.customer_waits', async () => {
    const o = await delayedLine();
    await answer(o.path, 'wait');
    await sendAll();
    expect(eventsFor(o.orderId).map((r) => (r.json as { type: string }).type)).toEqual(['backorder.customer_waits']);
    expect((await line(o.orderId)).status).toBe('open');
  });

  it('no answer by the deadline → cancel_due and backorder.cancel_due; a failed POST is retried with backoff until 2xx', async () => {
    const o = await delayedLine();
    expect((await line(o.orderId)).consentDeadline).toBe('2026-04-09');
    hooks.respondWith(503);
    deps.clock.set('2026-04-10T00:05:00Z');
    await backorderDailyJob(deps, deps.services, new AbortController().signal);
    expect((await line(o.orderId)).status).toBe('cancel_due');
    await sendAll();
    expect(eventsFor(o.orderId).map((r) => r.status)).toEqual([503]);
    const [row] = await rows<{ status: string; attempts: number }>(
      deps.db,
      sql`select status, attempts from deliveries where kind = 'order-event' and ref_id = ${(await line(o.orderId)).id}`,
    );
    expect(row).toMatchObject({ status: 'retry', attempts: 1 });
    hooks.respondWith(204);
    await sendAll(); // not due yet
    expect(eventsFor(o.orderId)).toHaveLength(1);
    deps.clock.advance(61_000);
    await sendAll();
    const received = eventsFor(o.orderId);
    expect(received.map((r) => r.status)).toEqual([503, 204]);
    expect(received[1]!.raw).toBe(received[0]!.raw); // the same event, byte for byte
    expect(received[1]!.json).toMatchObject({
      type: 'backorder.cancel_due',
      data: { status: 'cancel_due', consentDeadline: '2026-04-09' },
    });
    deps.clock.set('2026-03-01T12:00:00Z');
  });

  it('a hard-bounced address: the line is flagged unreachable, the shop gets backorder.unreachable, later notices are skipped', async () => {
    const sku = `OE-${uid()}`;
    await api('PUT', `/api/v1/inventory/${sku}`, { quantity: 0, backorderable: true });
    const orderId = `OE-${uid()}`;
    const email = `${orderId.toLowerCase()}@mail.example`;
    sink.setBehaviour(email, '550');
    await api('POST', '/api/v1/backorders', { orderId, sku, email, quantity: 1, promisedDate: '2026-03-10' });
    await sendAll();
    expect(await line(orderId)).toMatchObject({ unreachable: true });
    await sendAll();
    expect(eventsFor(orderId).map((r) => (r.json as { type: string }).type)).toEqual(['backorder.unreachable']);
    await api('PATCH', `/api/v1/backorders/${orderId}/${sku}`, { promisedDate: '2026-03-20', reason: 'Late' });
    await sendAll();
    const notices = await rows<{ kind: string; status: string }>(
      deps.db,
      sql`select kind, status from deliveries where ref_id = ${(await line(orderId)).id} and kind <> 'order-event' order by id`,
    );
    expect(notices).toEqual([
      { kind: 'backorder-confirmed', status: 'failed' },
      { kind: 'delivery-date-revised', status: 'skipped' },
    ]);
    expect(eventsFor(orderId)).toHaveLength(1);
    const report = (await (
      await app.request(`/api/v1/admin/reports/backlog?sku=${sku}`, {
        headers: { authorization: 'Bearer admin-token-12345' },
      })
    ).json()) as { skus: { unreachableLines: number }[] };
    expect(report.skus[0]!.unreachableLines).toBe(1);
  });
});
