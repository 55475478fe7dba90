import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { backorders } from '../../../src/db/schema/index.js';
import { createApp } from '../../../src/http/app.js';
import { backorderDailyJob } from '../../../src/jobs/backorder-daily.js';
import { restockScanJob } from '../../../src/jobs/restock-scan.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { startSmtpSink, type ReceivedMessage, type SmtpSink } from '../../helpers/smtp-sink.js';
import { createSubscribers, uid } from '../../helpers/factories.js';

let deps: TestDeps;
let sink: SmtpSink;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  sink = await startSmtpSink();
  // clock: 2026-03-01T12:00Z
  deps = await createTestDeps({ smtpUrl: sink.url, env: { RESTOCK_SETTLE_SECONDS: '0', NOTIFY_PER_UNIT: '1' } });
  app = createApp(deps, deps.services);
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

const signal = new AbortController().signal;
const scan = () => restockScanJob(deps, deps.services, signal);
const daily = () => backorderDailyJob(deps, deps.services, signal);
const sendAll = () => runSendPass(deps, deps.services);
const api = (method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const mailTo = (email: string, subject?: RegExp) =>
  sink.messages.filter((m) => m.envelopeTo.includes(email) && (!subject || subject.test(m.parsed.subject ?? '')));
const line = async (orderId: string) =>
  (await deps.db.select().from(backorders).where(eq(backorders.orderId, orderId)))[0]!;
const linkIn = (m: ReceivedMessage, label: RegExp) => {
  const html = String(m.parsed.html);
  const re = new RegExp(`<a[^>]*href="([^"]+)"[^>]*>(?:(?!</a>)[\\s\\S])*?${label.source}`, 'i');
  // HTML attribute entities (Handlebars writes `=` as &#x3D;), decoded as a mail client does.
  return re
    .exec(html)?.[1]
    ?.replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&');
};

async function product(quantity: number, eta?: string) {
  const sku = `BO-${uid()}`;
  await api('PUT', `/api/v1/inventory/${sku}`, {
    quantity,
    name: `Trail Runner ${sku}`,
    backorderable: true,
    ...(eta ? { eta } : {}),
  });
  await scan(); // baseline: creation is not news
  return sku;
}
async function order(
  sku: string,
  quantity: number,
  promisedDate: string,
  orderedAt: string,
  extra: Record<string, unknown> = {},
) {
  const orderId = `O-${uid()}`;
  const email = `${orderId.toLowerCase()}@mail.example`;
  const res = await api('POST', '/api/v1/backorders', {
    orderId,
    sku,
    email,
    quantity,
    promisedDate,
    orderedAt,
    customerName: 'Ada',
    ...extra,
  });
  expect(res.status).toBe(201);
  return { orderId, email };
}

describe('backorder-confirmed', () => {
  it('is sent on registration as transactional mail (no List-Unsubscribe), also to a suppressed address; notify:false sends nothing', async () => {
    const sku = await product(0);
    const a = await order(sku, 1, '2026-03-20', '2026-03-01T10:00:00Z');
    const b = await order(sku, 1, '2026-03-20', '2026-03-01T10:00:00Z', { notify: false });
    await rows(deps.db, sql`insert into suppressions (email, reason) values (${a.email}, 'unsubscribe_all')`);
    await sendAll();
    const [m] = mailTo(a.email);
    expect(m?.parsed.subject).toContain('ships by March 20, 2026');
    expect(m?.parsed.headers.get('list-unsubscribe')).toBeUndefined();
    expect(String(m?.parsed.text)).toContain('1 × Trail Runner');
    expect(mailTo(b.email)).toHaveLength(0);
  });
});

describe('ETA slip → delay option notices', () => {
  it('7-day slip with three open lines (two affected, one promised later): exactly two first-delay notices with both dates, the reason and working Keep/Cancel links', async () => {
    const sku = await product(0, '2026-03-10');
    const l1 = await order(sku, 1, '2026-03-10', '2026-02-20T10:00:00Z');
    const l2 = await order(sku, 2, '2026-03-10', '2026-02-21T10:00:00Z');
    const l3 = await order(sku, 1, '2026-04-30', '2026-02-22T10:00:00Z');
    await sendAll(); // the three confirmations
    const before = sink.messages.length;

    expect(
      (await api('PATCH', `/api/v1/inventory/${sku}`, { eta: '2026-03-17', etaReason: 'Supplier delay' })).status,
    ).toBe(200);
    await scan();
    await scan(); // a second scan finds nothing new: no second notice
    await sendAll();
    const notices = sink.messages.slice(before);
    expect(notices.map((m) => m.envelopeTo[0]).sort()).toEqual([l1.email, l2.email].sort());
    expect(mailTo(l3.email, /delayed/)).toHaveLength(0);
    for (const m of notices) {
      const text = String(m.parsed.text);
      expect(m.parsed.subject).toMatch(/is delayed/);
      expect(text).toContain('March 10, 2026');
      expect(text).toContain('March 17, 2026');
      expect(text).toContain('Supplier delay');
      expect(text).toContain("If we don't hear from you, we'll assume you're happy to wait");
      expect(text).not.toContain('Unless you tell us');
      expect(m.parsed.headers.get('list-unsubscribe')).toBeUndefined();
    }
    const m1 = mailTo(l1.email, /delayed/)[0]!;
    const keep = linkIn(m1, /Keep my order/)!;
    const cancel = linkIn(m1, /Cancel and refund/)!;
    expect(keep).toMatch(/^https:\/\/shop\.example\/orders\/[0-9a-z]+\.[A-Za-z0-9_-]{22}\?choice=wait$/);
    const path = new URL(cancel).pathname;
    const page = await app.request(`${path}?choice=cancel`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Cancel and refund');
    expect((await line(l1.orderId)).status).toBe('open'); // a GET changed nothing
    const posted = await app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'choice=cancel',
    });
    expect(posted.status).toBe(200);
    expect((await line(l1.orderId)).status).toBe('cancelled');
    expect(await line(l2.orderId)).toMatchObject({
      status: 'open',
      expectedDate: '2026-03-17',
      noticeRevision: 1,
      awaitingAnswer: false,
      consentDeadline: null,
    });
    expect(await line(l3.orderId)).toMatchObject({ expectedDate: '2026-04-30', noticeRevision: 0 });
  });
});

describe('renewed delay, deadlines and answers', () => {
  async function renewedLine() {
    const sku = await product(0);
    const o = await order(sku, 1, '2026-03-10', '2026-02-25T10:00:00Z');
    await api('PATCH', `/api/v1/backorders/${o.orderId}/${sku}`, {
      promisedDate: '2026-03-17',
      reason: 'Supplier delay',
    });
    await api('PATCH', `/api/v1/backorders/${o.orderId}/${sku}`, {
      promisedDate: '2026-03-31',
      reason: 'Container held at customs',
    });
    await sendAll();
    return { ...o, sku };
  }

  it('a renewed delay asks for consent by the previous notice date; with no answer the line becomes cancel_due after it', async () => {
    const o = await renewedLine();
    const [, renewed] = mailTo(o.email, /delayed/);
    const text = String(renewed!.parsed.text);
    expect(text).toContain("Unless you tell us you'll wait, we will cancel and refund on March 17, 2026");
    expect(text).toContain('Container held at customs');
    expect(await line(o.orderId)).toMatchObject({
      awaitingAnswer: true,
      consentDeadline: '2026-03-17',
      noticeRevision: 2,
    });

    deps.clock.set('2026-03-17T23:00:00Z');
    await daily();
    expect((await line(o.orderId)).status).toBe('open'); // the deadline day still belongs to the customer
    deps.clock.set('2026-03-18T00:05:00Z');
    await daily();
    expect(await line(o.orderId)).toMatchObject({ status: 'cancel_due', awaitingAnswer: false });
    await daily();
    const history = (await (await api('GET', `/api/v1/backorders/${o.orderId}/${o.sku}`)).json()) as {
      events: { type: string }[];
    };
    expect(history.events.filter((e) => e.type === 'cancel_due')).toHaveLength(1);
    deps.clock.set('2026-03-01T12:00:00Z');
  });

  it('"Keep my order" before the deadline keeps the line open past it', async () => {
    const o = await renewedLine();
    const [, renewed] = mailTo(o.email, /delayed/);
    const path = new URL(linkIn(renewed!, /Keep my order/)!).pathname;
    await app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'choice=wait',
    });
    deps.clock.set('2026-03-19T00:05:00Z');
    await daily();
    expect(await line(o.orderId)).toMatchObject({ status: 'open', customerAnswer: 'wait', awaitingAnswer: false });
    deps.clock.set('2026-03-01T12:00:00Z');
  });
});

describe('allocation on restock', () => {
  it('5 units, open lines of 2, 2 and 3 (oldest first) and a waitlist: first two allocated and notified, third open, one unit to the waitlist wave', async () => {
    const sku = await product(0);
    const a = await order(sku, 2, '2026-03-20', '2026-02-01T10:00:00Z');
    const b = await order(sku, 2, '2026-03-20', '2026-02-02T10:00:00Z');
    const c = await order(sku, 3, '2026-03-20', '2026-02-03T10:00:00Z');
    const waitlist = await createSubscribers(deps, sku, 3);
    await sendAll();
    await api('PUT', `/api/v1/inventory/${sku}`, { quantity: 5, reason: 'restock' });
    await scan();
    await sendAll();
    expect((await line(a.orderId)).status).toBe('allocated');
    expect((await line(b.orderId)).status).toBe('allocated');
    expect((await line(c.orderId)).status).toBe('open');
    expect(mailTo(a.email, /ships soon/)).toHaveLength(1);
    expect(mailTo(b.email, /ships soon/)).toHaveLength(1);
    expect(mailTo(c.email, /ships soon/)).toHaveLength(0);
    const notified = waitlist.filter((s) => mailTo(s.email).length > 0);
    expect(notified.map((s) => s.email)).toEqual([waitlist[0]!.email]);
  });
});

describe('shop allocates by hand', () => {
  it('PATCH status allocated sends order-shipping-soon once', async () => {
    const sku = await product(0);
    const o = await order(sku, 1, '2026-03-20', '2026-02-01T10:00:00Z');
    await api('PATCH', `/api/v1/backorders/${o.orderId}/${sku}`, { status: 'allocated' });
    await api('PATCH', `/api/v1/backorders/${o.orderId}/${sku}`, { status: 'open' });
    await api('PATCH', `/api/v1/backorders/${o.orderId}/${sku}`, { status: 'allocated' });
    await sendAll();
    expect(mailTo(o.email, /ships soon/)).toHaveLength(1);
  });
});
