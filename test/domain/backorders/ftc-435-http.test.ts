import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backorders } from '../../../src/db/schema/index.js';
import { createOrderToken } from '../../../src/domain/backorders/order-tokens.js';
import { createApp } from '../../../src/http/app.js';
import { backorderDailyJob } from '../../../src/jobs/backorder-daily.js';
import { restockScanJob } from '../../../src/jobs/restock-scan.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { createTestDeps, INVENTORY_TOKEN, MARKETING_TOKEN, TEST_SECRET, type TestDeps } from '../../helpers/deps.js';
import { putBackorderableProduct, postOrderLine } from '../../helpers/backorder-line.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { TEXT } from './ftc-435-text.js';

// 16 CFR 435 end to end: the HTTP API, the daily job and the send pass, a manual clock, a real SMTP
// sink and a real webhook receiver; on PGlite and (TEST_DATABASE_URL) PostgreSQL alike.
let deps: TestDeps;
let sink: SmtpSink;
let hooks: WebhookReceiver;
let app: ReturnType<typeof createApp>;
const START = '2026-03-01T12:00:00Z';
beforeAll(async () => {
  sink = await startSmtpSink();
  hooks = await startWebhookReceiver();
  deps = await createTestDeps({
    smtpUrl: sink.url,
    env: {
      ORDER_EVENTS_WEBHOOK_URL: hooks.url,
      WEBHOOK_SIGNING_SECRET: 'whsec-0123456789abcdef',
      RESTOCK_SETTLE_SECONDS: '0',
    },
  });
  app = createApp(deps, deps.services);
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
  await hooks?.close();
});

const signal = new AbortController().signal;
const at = (iso: string) => deps.clock.set(iso);
const daily = () => backorderDailyJob(deps, deps.services, signal);
const sendAll = () => runSendPass(deps, deps.services);
const call = (method: string, path: string, body?: unknown, token = INVENTORY_TOKEN) =>
  app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const json = async (res: Response) =>
  (await res.json()) as { backorder: Record<string, unknown>; events?: { type: string; notice: string | null }[] };
const row = async (orderId: string) =>
  (await deps.db.select().from(backorders).where(eq(backorders.orderId, orderId)))[0]!;
const mailTo = (email: string) => sink.messages.filter((m) => m.envelopeTo.includes(email));
const answer = (id: number, choice: string) =>
  app.request(`/orders/${createOrderToken(TEST_SECRET, id)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `choice=${choice}`,
  });
const webhooks = (orderId: string) =>
  hooks.received
    .map((r) => r.json as { type: string; data: Record<string, unknown> })
    .filter((w) => w.data.orderId === orderId);

const product = (extra: Record<string, unknown> = {}, quantity = 0) =>
  putBackorderableProduct(app, { quantity, ...extra }, 'FTC');
const order = (sku: string, extra: Record<string, unknown> = {}) => postOrderLine(app, sku, extra, 'F');

describe('435.2(a)(1) applicable time', () => {
  it(`thirty days, or fifty with credit; the product ETA never extends it ("${TEXT.credit}")`, async () => {
    at(START);
    const sku = await product({ eta: '2026-04-15', etaReason: 'Container delayed' });
    const plain = await order(sku, { orderedAt: START });
    expect(plain.line).toMatchObject({ promisedDate: '2026-03-31', expectedDate: '2026-04-15', shipBy: '2026-04-15' });
    const credit = await order(await product(), { orderedAt: START, creditApplied: true });
    expect(credit.line).toMatchObject({ promisedDate: '2026-04-20', creditApplied: true });
    await sendAll();
    // One honest email for the late order: thanks, the revised date, the reason, keep/cancel — no "ships by 31 March".
    const mails = mailTo(plain.email);
    expect(mails.map((m) => m.parsed.subject)).toEqual([
      expect.stringMatching(/^Thank you for your order F-.*: it is delayed/),
    ]);
    const text = String(mails[0]!.parsed.text);
    expect(text).toContain('April 15, 2026');
    expect(text).toContain('Why: Container delayed');
    expect(text).toMatch(/Keep my order[\s\S]*Cancel and refund/);
    expect(mailTo(credit.email).map((m) => m.parsed.subject)).toEqual([
      expect.stringContaining('ships by April 20, 2026'),
    ]);
  });
});

describe('435.2(b)(1) and (c)(5): the option before the date, never after', () => {
  it(`no ETA: the option without a date comes ${3} days before the promise, with the default reason`, async () => {
    at(START);
    const sku = await product();
    const o = await order(sku, { orderedAt: START, promisedDate: '2026-03-20' });
    at('2026-03-16T06:00:00Z');
    await daily();
    expect((await row(o.orderId)).noticeRevision).toBe(0);
    at('2026-03-17T06:00:00Z');
    await daily();
    await daily();
    await sendAll();
    const notices = mailTo(o.email).filter((m) => /delayed/.test(m.parsed.subject ?? ''));
    expect(notices).toHaveLength(1);
    const text = String(notices[0]!.parsed.text);
    expect(text).toContain('We cannot give a new ship date yet.');
    expect(text).toContain('Why: our supplier has not confirmed a new date yet.');
    expect(text).toContain("Unless you tell us you'll wait, we will cancel and refund on April 19, 2026");
    expect(await row(o.orderId)).toMatchObject({ status: 'open', consentDeadline: '2026-04-19', awaitingAnswer: true });

    // The customer keeps the order without a date: nothing more, no lapse (the guide, TEXT.indefinite).
    expect(TEXT.indefinite).toContain('no additional delay notices are required');
    expect((await answer((await row(o.orderId)).id, 'wait')).status).toBe(200);
    expect((await json(await call('GET', `/api/v1/backorders/${o.orderId}/${sku}`))).backorder).toMatchObject({
      shipBy: null,
      consentDeadline: null,
    });
    at('2026-05-30T06:00:00Z');
    await daily();
    await sendAll();
    expect(await row(o.orderId)).toMatchObject({ status: 'open', consentedIndefinite: true, noticeRevision: 1 });
    expect(mailTo(o.email).filter((m) => /delayed|cancelled/.test(m.parsed.subject ?? ''))).toHaveLength(1);
  });

  it(`a line registered after its promise is cancel_due with one email; "wait" is express consent (${TEXT.cancelLate})`, async () => {
    at('2026-03-05T09:00:00Z');
    const sku = await product({ eta: '2026-03-25' });
    const o = await order(sku, { orderedAt: '2026-02-01T10:00:00Z', promisedDate: '2026-03-03' });
    expect(o.line).toMatchObject({ status: 'cancel_due', refundDueBy: '2026-03-16' });
    await sendAll();
    const mails = mailTo(o.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.subject).toMatch(/will be cancelled and refunded unless you want to wait/);
    expect(String(mails[0]!.parsed.text)).toContain('unless you tell us you want to keep waiting until March 25, 2026');
    expect(webhooks(o.orderId).map((w) => [w.type, w.data.refundDueBy])).toEqual([
      ['backorder.cancel_due', '2026-03-16'],
    ]);
    expect((await answer((await row(o.orderId)).id, 'wait')).status).toBe(200);
    expect(await row(o.orderId)).toMatchObject({
      status: 'open',
      customerAnswer: 'wait',
      shipBy: '2026-03-25',
      refundDueBy: null,
    });
  });
});

describe('435.2(b)(2): deadlines never move without consent', () => {
  it(`a 10-day slip accepted by silence, then two renewals: the deadline stays the consented date ("${TEXT.renewedSilence}")`, async () => {
    at(START);
    const sku = await product();
    const o = await order(sku, { orderedAt: START, promisedDate: '2026-03-20' });
    const path = `/api/v1/backorders/${o.orderId}/${sku}`;
    // PATCH answers the line after its notice was decided.
    expect(
      (await json(await call('PATCH', path, { promisedDate: '2026-03-30', reason: 'Late raw material' }))).backorder,
    ).toMatchObject({
      shipBy: '2026-03-30',
      consentDeadline: null,
      awaitingAnswer: false,
    });
    await sendAll();
    at('2026-03-12T09:00:00Z');
    expect(
      (await json(await call('PATCH', path, { promisedDate: '2026-04-20', reason: 'Supplier strike' }))).backorder,
    ).toMatchObject({
      shipBy: '2026-03-30',
      consentDeadline: '2026-03-30',
      awaitingAnswer: true,
    });
    expect(
      (await json(await call('PATCH', path, { promisedDate: '2026-05-10', reason: 'Port closed' }))).backorder,
    ).toMatchObject({ consentDeadline: '2026-03-30' });
    await sendAll();
    const texts = mailTo(o.email)
      .filter((m) => /delayed/.test(m.parsed.subject ?? ''))
      .map((m) => String(m.parsed.text));
    expect(texts).toHaveLength(3);
    expect(texts[0]).toContain("If we don't hear from you, we'll assume you're happy to wait until March 30, 2026");
    expect(texts[1]).toContain('we will cancel and refund on March 30, 2026');
    expect(texts[2]).toContain('Why: Port closed');
    at('2026-03-31T06:00:00Z');
    await daily();
    expect(await row(o.orderId)).toMatchObject({ status: 'cancel_due', refundDueBy: '2026-04-09' });
    const history = await json(await call('GET', path));
    expect(history.events!.filter((e) => e.type === 'cancel_due').map((e) => e.notice)).toEqual(['435.2(c)(2)/(c)(3)']);
  });
});

describe('435.1 shipment and prompt refund: cancel until shipped, the refund clock', () => {
  it(`an allocated line can be cancelled; its unit goes to the next line ("${TEXT.shipment}")`, async () => {
    at(START);
    const sku = await product();
    const first = await order(sku, { orderedAt: '2026-02-20T10:00:00Z', promisedDate: '2026-03-20' });
    const second = await order(sku, { orderedAt: '2026-02-21T10:00:00Z', promisedDate: '2026-03-20' });
    const third = await order(sku, { orderedAt: '2026-02-22T10:00:00Z', promisedDate: '2026-03-20' });
    await call('PUT', `/api/v1/inventory/${sku}`, { quantity: 1, reason: 'restock' });
    await restockScanJob(deps, deps.services, signal);
    expect((await row(first.orderId)).status).toBe('allocated');
    at('2026-03-06T10:00:00Z'); // a Friday
    expect((await answer((await row(first.orderId)).id, 'cancel')).status).toBe(200);
    expect(await row(first.orderId)).toMatchObject({ status: 'cancelled', refundDueBy: '2026-03-17' });
    expect((await row(second.orderId)).status).toBe('allocated');
    await sendAll();
    expect(webhooks(first.orderId).map((w) => [w.type, w.data.refundDueBy])).toEqual([
      ['backorder.customer_cancelled', '2026-03-17'],
    ]);
    expect(mailTo(second.email).some((m) => /ships soon/.test(m.parsed.subject ?? ''))).toBe(true);
    // The shop cancels the allocated line itself: the unit goes on to the third order.
    expect((await call('PATCH', `/api/v1/backorders/${second.orderId}/${sku}`, { status: 'cancelled' })).status).toBe(
      200,
    );
    expect(await row(second.orderId)).toMatchObject({ status: 'cancelled', refundDueBy: '2026-03-17' });
    expect((await row(third.orderId)).status).toBe('allocated');

    // The backlog flags the refund once it is past due; PATCH refundedAt clears it.
    at('2026-03-18T10:00:00Z');
    const report = async () =>
      (await (await call('GET', `/api/v1/admin/reports/backlog?sku=${sku}`, undefined, MARKETING_TOKEN)).json()) as {
        refunds: unknown[];
      };
    const owed = (o: { orderId: string }) => ({
      orderId: o.orderId,
      sku,
      status: 'cancelled',
      creditApplied: false,
      refundDueBy: '2026-03-17',
      pastDue: true,
    });
    expect((await report()).refunds).toEqual([owed(first), owed(second)]);
    expect(
      (await call('PATCH', `/api/v1/backorders/${third.orderId}/${sku}`, { refundedAt: '2026-03-18T09:00:00Z' }))
        .status,
    ).toBe(409);
    const refunded = await call('PATCH', `/api/v1/backorders/${first.orderId}/${sku}`, {
      refundedAt: '2026-03-18T09:00:00Z',
    });
    expect((await json(refunded)).backorder).toMatchObject({ refundedAt: '2026-03-18T09:00:00.000Z' });
    expect((await report()).refunds).toEqual([owed(second)]);
  });
});

describe('435.2(b)(1): the choice cannot be edited away in the console', () => {
  it(`publishing delivery-date-revised without the cancel link or the reason is refused (422) ("${TEXT.reason}")`, async () => {
    const base = '/api/v1/admin/templates/delivery-date-revised/en';
    const current = (await (await call('GET', base, undefined, MARKETING_TOKEN)).json()) as {
      subject: string;
      mjml: string;
    };
    const mjml = current.mjml
      .replace(/<mj-button href="\{\{cancelUrl\}\}"[^>]*>[^<]*<\/mj-button>/, '')
      .replace(/\{\{#if reason\}\}\{\{reason\}\}\{\{else\}\}([^{]*)\{\{\/if\}\}/, '$1');
    expect((await call('PUT', base, { subject: current.subject, mjml }, MARKETING_TOKEN)).status).toBe(200);
    const res = await call('POST', `${base}/publish`, {}, MARKETING_TOKEN);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; details: { code: string }[] } };
    expect(body.error.code).toBe('TEMPLATE_INVALID');
    expect(body.error.details.map((d) => d.code).sort()).toEqual(['OPTION_CANCEL_LINK', 'OPTION_REASON']);
  });
});
