import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { backorders } from '../../../src/db/schema/index.js';
import { createOrderToken, orderPageUrl } from '../../../src/domain/backorders/order-tokens.js';
import { createApp } from '../../../src/http/app.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { createTestDeps, TEST_SECRET, type TestDeps } from '../../helpers/deps.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { postBackorderLine } from '../../helpers/backorder-line.js';

// Issue 21 (6): an order page link can cancel the order, so it is signed when the email is composed
// and never stored in `deliveries.variables` (kept there until retention). Real SMTP sink, real database.
let deps: TestDeps;
let sink: SmtpSink;
let app: ReturnType<typeof createApp>;
const BASE = 'https://shop.example';
beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({ smtpUrl: sink.url, env: { RESTOCK_SETTLE_SECONDS: '0' } });
  app = createApp(deps, deps.services);
  deps.clock.set('2026-03-01T12:00:00Z');
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

const stored = (refId: number) =>
  rows<{ kind: string; status: string; variables: Record<string, unknown> }>(
    deps.db,
    sql`select kind, status, variables from deliveries where ref_id = ${refId} and kind <> 'order-event' order by id`,
  );
const mailTo = (email: string) => sink.messages.filter((m) => m.envelopeTo.includes(email));
/** The links of the shop's order pages in a received email, as the customer's mail client sees them. */
const orderLinks = (html: string) =>
  [...html.matchAll(/href="(https:\/\/shop\.example\/orders\/[^"]+)"/g)].map((m) => m[1]!.replaceAll('&#x3D;', '='));

async function register(extra: Record<string, unknown>) {
  const { sku, orderId, email } = await postBackorderLine(app, extra);
  const [line] = await deps.db.select().from(backorders).where(eq(backorders.orderId, orderId));
  return { sku, orderId, email, line: line! };
}

describe('order page links are signed at send time, not stored', () => {
  it('backorder-confirmed: the ledger row holds no token; the email links to a page that opens', async () => {
    const { orderId, email, line, sku } = await register({});
    const queued = await stored(line.id);
    expect(queued.map((r) => r.kind)).toEqual(['backorder-confirmed']);
    const text = JSON.stringify(queued[0]!.variables);
    expect(text).not.toContain('/orders/');
    expect(text).not.toContain(createOrderToken(TEST_SECRET, line.id));
    expect(queued[0]!.variables).toMatchObject({ orderLabel: orderId, productName: `Lamp ${sku}`, quantity: 1 });

    await runSendPass(deps, deps.services);
    const [mail] = mailTo(email);
    const links = orderLinks(String(mail!.parsed.html));
    expect(links).toEqual([orderPageUrl(BASE, TEST_SECRET, line.id)]);
    const page = await app.request(links[0]!.slice(BASE.length));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(orderId);
    expect(JSON.stringify((await stored(line.id))[0]!.variables)).not.toContain('/orders/');
  });

  it('delivery-date-revised at registration: keep/cancel links are signed at send time and answer the line', async () => {
    // A product due in 45 days: later than the 30-day rule of 16 CFR 435.2(a)(1), so the customer gets
    // the option notice of 435.2(b)(1) with keep / cancel links right away.
    const { orderId, email, line } = await register({ eta: '2026-04-15', etaReason: 'Container delayed' });
    const queued = await stored(line.id);
    expect(queued.map((r) => r.kind)).toEqual(['delivery-date-revised']);
    const text = JSON.stringify(queued[0]!.variables);
    expect(text).not.toContain('/orders/');
    expect(text).not.toContain(createOrderToken(TEST_SECRET, line.id));
    expect(Object.keys(queued[0]!.variables)).not.toEqual(expect.arrayContaining(['keepUrl']));

    await runSendPass(deps, deps.services);
    const [mail] = mailTo(email);
    const url = orderPageUrl(BASE, TEST_SECRET, line.id);
    expect(orderLinks(String(mail!.parsed.html))).toEqual([`${url}?choice=wait`, `${url}?choice=cancel`]);
    const keep = await app.request(`${url.slice(BASE.length)}?choice=wait`);
    expect(keep.status).toBe(200);
    expect(await keep.text()).toContain(orderId);
    const after = await stored(line.id);
    expect(after[0]!.status).toBe('sent');
    expect(JSON.stringify(after[0]!.variables)).not.toContain('/orders/');
  });

  it('a row queued by an older build with a stored orderUrl is sent with a freshly signed link, then scrubbed', async () => {
    const { line, email } = await register({});
    // As the previous build queued it: the link in the variables, signed with a secret since rotated.
    const old = orderPageUrl(BASE, 'an-old-secret-0123456789-abcdefghijkl', line.id);
    await rows(
      deps.db,
      sql`update deliveries set variables = variables || jsonb_build_object('orderUrl', ${old}::text) where ref_id = ${line.id}`,
    );
    expect((await stored(line.id))[0]!.variables).toHaveProperty('orderUrl', old);
    await runSendPass(deps, deps.services);
    const [mail] = mailTo(email);
    expect(orderLinks(String(mail!.parsed.html))).toEqual([orderPageUrl(BASE, TEST_SECRET, line.id)]);
    expect(String(mail!.raw)).not.toContain(old.split('/orders/')[1]!);
    const [row] = await rows<{ status: string; variables: Record<string, unknown> }>(
      deps.db,
      sql`select status, variables from deliveries where ref_id = ${line.id} and kind = 'backorder-confirmed'`,
    );
    expect(row).toMatchObject({ status: 'sent', variables: { productName: expect.stringMatching(/^Lamp /) } });
    expect(row!.variables).not.toHaveProperty('orderUrl');
  });
});
