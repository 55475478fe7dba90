import { runSendPass } from '../../src/jobs/send.js';
import { rows as dbRows } from '../../src/db/client.js';
import { generateKeyPairSync } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRestockWaves } from '../../src/domain/waves/plan-restock-waves.js';
import { createApp } from '../../src/http/app.js';
import { verifyClickToken } from '../../src/domain/clicks/link-token.js';
import { createTestDeps, TEST_SECRET, type TestDeps } from '../helpers/deps.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { createProduct, createRestockEvent, createSubscribers, deliveriesOf } from '../helpers/factories.js';

let deps: TestDeps;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({
    smtpUrl: sink.url,
    env: { RETRY_BASE_SECONDS: '60', RETRY_MAX_ATTEMPTS: '3', NOTIFY_PER_UNIT: '0' },
  });
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

const to = (email: string) => sink.messages.filter((m) => m.envelopeTo.includes(email));

/** One subscriber of a fresh SKU with a restock event; returns the queued (not yet sent) delivery. */
async function queuedFor(
  d: TestDeps,
  options: { name?: string; locale?: string; productName?: string; url?: string } = {},
) {
  const { sku } = await createProduct(d, { quantity: 0, name: options.productName, url: options.url });
  const [sub] = await createSubscribers(d, sku, 1, { name: options.name, locale: options.locale });
  const event = await createRestockEvent(d, sku, 5);
  await planRestockWaves(d);
  const [delivery] = await deliveriesOf(d, { templateKey: 'back-in-stock', eventId: event });
  const restockedAt = (locale: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d.clock.now());
  return { sku, sub: sub!, event, delivery: delivery!, restockedAt };
}

async function row(id: number) {
  const rows = await dbRows<{
    status: string;
    attempts: number;
    next_attempt_at: Date | string;
    last_error: string | null;
    unknown_outcomes: number;
    smtp_response: string | null;
    message_id: string | null;
  }>(
    deps.db,
    sql`select status, attempts, next_attempt_at, last_error, unknown_outcomes, smtp_response, message_id from deliveries where id = ${id}`,
  );
  return rows[0]!;
}

describe('sender: failures and retries', () => {
  it('451 is retried after the backoff and then delivered', async () => {
    const { sub, delivery } = await queuedFor(deps);
    sink.setBehaviour(sub.email, '451');
    expect(await runSendPass(deps, deps.services)).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    const r1 = await row(delivery.id);
    expect(r1).toMatchObject({ status: 'retry', attempts: 1 });
    expect(new Date(r1.next_attempt_at).getTime()).toBe(deps.clock.now().getTime() + 60_000);
    expect(r1.smtp_response).toContain('451');

    expect(await runSendPass(deps, deps.services)).toMatchObject({ claimed: 0 }); // not due yet
    sink.setBehaviour(sub.email, 'accept');
    deps.clock.advance(61_000);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ claimed: 1, sent: 1 });
    expect(await row(delivery.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(to(sub.email)).toHaveLength(1);
  });

  it('4xx backoff doubles and gives up after RETRY_MAX_ATTEMPTS as failed', async () => {
    const { sub, delivery } = await queuedFor(deps);
    sink.setBehaviour(sub.email, '451');
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      await runSendPass(deps, deps.services);
      const r = await row(delivery.id);
      waits.push(new Date(r.next_attempt_at).getTime() - deps.clock.now().getTime());
      deps.clock.advance(3600_000);
    }
    expect(waits.slice(0, 2)).toEqual([60_000, 120_000]);
    expect(await row(delivery.id)).toMatchObject({ status: 'failed', attempts: 3 });
    expect((await row(delivery.id)).last_error).toMatch(/gave up after 3 attempts/);
  });

  it('550 on the recipient fails at once, suppresses the address and is never retried', async () => {
    const { sub, delivery } = await queuedFor(deps);
    sink.setBehaviour(sub.email, '550');
    expect(await runSendPass(deps, deps.services)).toMatchObject({ claimed: 1, failed: 1, retried: 0 });
    expect(await row(delivery.id)).toMatchObject({ status: 'failed', attempts: 1 });
    const sup = await dbRows<{ reason: string }>(
      deps.db,
      sql`select reason from suppressions where email = ${sub.email}`,
    );
    expect(sup).toEqual([{ reason: 'hard_bounce' }]);
    deps.clock.advance(24 * 3600_000);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ claimed: 0 });
    expect(await row(delivery.id)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('a connection lost after DATA is unknown: retried once, then failed; counted in the summary', async () => {
    const { sub, delivery } = await queuedFor(deps);
    sink.setBehaviour(sub.email, 'drop');
    expect(await runSendPass(deps, deps.services)).toMatchObject({ claimed: 1, retried: 1, unknown: 1 });
    expect(await row(delivery.id)).toMatchObject({ status: 'retry', unknown_outcomes: 1 });
    deps.clock.advance(3600_000);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ claimed: 1, failed: 1, unknown: 1 });
    const r = await row(delivery.id);
    expect(r).toMatchObject({ status: 'failed', unknown_outcomes: 2, attempts: 2 });
    expect(r.last_error).toMatch(/unknown twice/);
    sink.setBehaviour(sub.email, 'accept');
  });

  it('unsubscribing between queueing and sending skips the delivery', async () => {
    const { sub, delivery } = await queuedFor(deps);
    await dbRows(deps.db, sql`update subscriptions set status = 'unsubscribed' where id = ${sub.id}`);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ claimed: 1, skipped: 1, sent: 0 });
    expect(await row(delivery.id)).toMatchObject({ status: 'skipped' });
    expect(to(sub.email)).toHaveLength(0);
  });

  it('a suppressed address is skipped for bulk mail', async () => {
    const { sub, delivery } = await queuedFor(deps);
    await dbRows(deps.db, sql`insert into suppressions (email, reason) values (${sub.email}, 'unsubscribe_all')`);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ skipped: 1 });
    expect(await row(delivery.id)).toMatchObject({ status: 'skipped' });
  });

  it('a sender that crashed after claiming: its rows are taken over once the lease ends', async () => {
    const { sub, delivery } = await queuedFor(deps);
    const at = deps.clock.now().toISOString();
    await dbRows(
      deps.db,
      sql`update deliveries set status = 'sending', claimed_by = 'dead-worker', attempts = 1,
      claimed_until = ${at}::timestamptz + interval '5 minutes', next_attempt_at = ${at}::timestamptz + interval '5 minutes' where id = ${delivery.id}`,
    );
    expect(await runSendPass(deps, deps.services)).toMatchObject({ claimed: 0 });
    deps.clock.advance(5 * 60_000 + 1000);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ claimed: 1, sent: 1 });
    expect(await row(delivery.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(to(sub.email)).toHaveLength(1);
  });
});

describe('sender: the message', () => {
  it('bulk headers, Message-ID from the delivery id, working one-click URL, text part, escaped variables, UTM links', async () => {
    const { sub, delivery, restockedAt } = await queuedFor(deps, {
      productName: '<script>alert(1)</script> Kettle',
      name: 'Ada',
      url: 'https://shop.example/p/kettle?color=red',
    });
    await runSendPass(deps, deps.services);
    const [msg] = await sink.waitFor(sink.messages.length).then(() => to(sub.email));
    expect(msg).toBeDefined();
    const m = msg!.parsed;
    expect(m.messageId).toBe(`<delivery-${delivery.id}@shop.example>`);
    expect((await row(delivery.id)).message_id).toBe(`<delivery-${delivery.id}@shop.example>`);
    const list = m.headers.get('list') as {
      unsubscribe?: { url: string };
      'unsubscribe-post'?: { name: string };
      id?: { id: string };
    };
    expect(list.unsubscribe?.url).toMatch(/^https:\/\/shop\.example\/unsubscribe\?token=/);
    expect(msg!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(msg!.raw).toMatch(/^List-Id: Our shop <back-in-stock\.shop\.example>\r?$/im);

    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Kettle');
    expect(m.html).not.toContain('<script>');
    expect(m.text).toContain('Hello Ada');
    expect(m.text).toContain('<script>alert(1)</script> Kettle'); // plain text needs no escaping
    // CLICK_TRACKING (default on): the product link is this delivery's /r/ link, signed for the UTM-tagged URL.
    const utm =
      'https://shop.example/p/kettle?color=red&utm_source=restock-notifier&utm_medium=email&utm_campaign=back-in-stock';
    const tracked = /https:\/\/shop\.example\/r\/([0-9a-z]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22})/.exec(
      String(m.text),
    )?.[1];
    expect(verifyClickToken(TEST_SECRET, tracked ?? '')?.target).toBe(utm);
    // Handlebars escapes `=` and `&` inside href (`&#x3D;`, `&amp;`): decoded, the button is the same link.
    const hrefs = [...String(m.html).matchAll(/href="([^"]+)"/g)].map((x) =>
      x[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'),
    );
    expect(hrefs).toContain(`https://shop.example/r/${tracked}`);
    expect(m.text).toContain(`back in stock as of ${restockedAt('en')}`);
    expect(m.subject).toBe('<script>alert(1)</script> Kettle is back in stock');

    // RFC 8058 one-click: a POST to the header's URL with the fixed body unsubscribes.
    const app = createApp(deps, deps.services);
    const url = new URL(list.unsubscribe!.url);
    const res = await app.request(`${url.pathname}${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    const st = await dbRows<{ status: string }>(deps.db, sql`select status from subscriptions where id = ${sub.id}`);
    expect(st[0]?.status).toBe('unsubscribed');
  });

  it('a recipient whose locale has no template gets English with an English date (never a French date in English text)', async () => {
    const { sub, restockedAt } = await queuedFor(deps, { locale: 'fr-FR' });
    await runSendPass(deps, deps.services);
    const text = to(sub.email)[0]!.parsed.text;
    expect(text).toContain(`back in stock as of ${restockedAt('en')}`);
    expect(text).not.toContain(restockedAt('fr-FR'));
  });

  it('DKIM signs both List-Unsubscribe headers', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const signed = await createTestDeps({
      smtpUrl: sink.url,
      env: { DKIM_DOMAIN: 'shop.example', DKIM_SELECTOR: 'rn', DKIM_PRIVATE_KEY: pem },
    });
    try {
      const { sub } = await queuedFor(signed);
      await runSendPass(signed, signed.services);
      const raw = to(sub.email)[0]!.raw;
      const header = /^DKIM-Signature:[^\n]*(?:\r?\n[ \t][^\n]*)*/im.exec(raw)?.[0] ?? '';
      const h =
        /\bh=([^;]+)/
          .exec(header.replace(/\r?\n[ \t]+/g, ''))?.[1]
          ?.toLowerCase()
          .split(':')
          .map((s) => s.trim()) ?? [];
      expect(h).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'list-id', 'message-id']));
    } finally {
      await signed.close();
    }
  });

  it('the capture transport goes through the same ledger and writes the same message', async () => {
    const capture = await createTestDeps();
    try {
      const { delivery } = await queuedFor(capture);
      expect(await runSendPass(capture, capture.services)).toMatchObject({ sent: 1 });
      const dir = capture.config.mail.kind === 'capture' ? capture.config.mail.dir : '';
      const files = await readdir(dir);
      expect(files).toHaveLength(1);
      const eml = await readFile(join(dir, files[0]!), 'utf8');
      expect(eml).toContain(`Message-ID: <delivery-${delivery.id}@shop.example>`);
      expect(eml).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      const rows = await dbRows<{ status: string; smtp_response: string }>(
        capture.db,
        sql`select status, smtp_response from deliveries where id = ${delivery.id}`,
      );
      expect(rows[0]).toMatchObject({ status: 'sent', smtp_response: expect.stringMatching(/^250 captured /) });
    } finally {
      await capture.close();
    }
  });
});
