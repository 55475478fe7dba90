import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows as dbRows } from '../../../src/db/client.js';
import { createApp } from '../../../src/http/app.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { ADMIN_TOKEN, createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { createProduct, uid } from '../../helpers/factories.js';

/** Stale waitlists (issue 12 point 9) on an injected clock, with a real SMTP sink. */
let deps: TestDeps;
let sink: SmtpSink;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({ smtpUrl: sink.url, env: { REPERMISSION_AFTER_DAYS: '180' } });
  app = createApp(deps, deps.services);
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

const DAY = 86_400_000;

async function subscriber(sku: string, waitedDays: number, locale: string | null = null) {
  const email = `wait-${uid()}@mail.example`;
  const at = new Date(deps.clock.now().getTime() - waitedDays * DAY).toISOString();
  const [row] = await dbRows<{ id: number }>(
    deps.db,
    sql`
    insert into subscriptions (email, email_normalized, sku, locale, status, created_at, confirmed_at)
    values (${email}, ${email}, ${sku}, ${locale}, 'active', ${at}::timestamptz, ${at}::timestamptz) returning id`,
  );
  return { id: row!.id, email };
}
const runJob = async () => {
  const res = await app.request('/api/v1/admin/jobs/repermission/run', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(res.status).toBe(200);
  const { summary } = (await res.json()) as { summary: Record<string, number> };
  await runSendPass(deps, deps.services);
  return summary;
};
const mailTo = (email: string) => sink.messages.filter((m) => m.envelopeTo.includes(email));
const state = async (id: number) =>
  (
    await dbRows<{ status: string; asked: unknown; renewed: unknown }>(
      deps.db,
      sql`select status::text as status, repermission_asked_at as asked, consent_renewed_at as renewed from subscriptions where id = ${id}`,
    )
  )[0]!;
const keepLinkIn = (text: string | undefined) => {
  const m = /https:\/\/shop\.example(\/still-interested\?token=[A-Za-z0-9._-]+)/.exec(text ?? '');
  if (!m?.[1]) throw new Error('no keep link in the email');
  return m[1];
};

describe('"still interested?"', () => {
  it('asks once after REPERMISSION_AFTER_DAYS; the link page changes nothing on GET; POST keeps; silence unsubscribes', async () => {
    const { sku } = await createProduct(deps, { quantity: 0, name: 'Trail Runner' });
    const keeper = await subscriber(sku, 181);
    const silent = await subscriber(sku, 200, 'de');
    const fresh = await subscriber(sku, 100);

    const first = await runJob();
    expect(first).toMatchObject({ asked: 2, unsubscribed: 0 });
    const [mail] = mailTo(keeper.email);
    expect(mail?.parsed.subject).toBe('Still waiting for Trail Runner?');
    expect(mail?.parsed.text).toContain('Yes, keep me on the list');
    expect(mail?.raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mailTo(silent.email)[0]?.parsed.subject).toBe('Warten Sie noch auf Trail Runner?');
    expect(mailTo(fresh.email)).toHaveLength(0);

    // Idempotent: a second run asks nobody again.
    expect(await runJob()).toMatchObject({ asked: 0, unsubscribed: 0 });
    expect(mailTo(keeper.email)).toHaveLength(1);

    // GET (a link scanner, or the shopper opening the page) records nothing.
    const link = keepLinkIn(mail?.parsed.text);
    const before = await state(keeper.id);
    const page = await app.request(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('method="post"');
    expect(await state(keeper.id)).toEqual(before);

    // The button's POST keeps the subscription and restarts its waiting period.
    const kept = await app.request(link, { method: 'POST' });
    expect(kept.status).toBe(200);
    expect(await kept.text()).toContain('Thanks, you stay on the list');
    const after = await state(keeper.id);
    expect(after).toMatchObject({ status: 'active', asked: null });
    expect(new Date(after.renewed as string).getTime()).toBe(deps.clock.now().getTime());

    // 14 days of silence: the silent one is unsubscribed, the keeper is not (and not asked again).
    deps.clock.advance(14 * DAY + 60_000);
    expect(await runJob()).toMatchObject({ unsubscribed: 1, asked: 0 });
    expect(await state(silent.id)).toMatchObject({ status: 'unsubscribed' });
    expect(await state(keeper.id)).toMatchObject({ status: 'active' });
    // Their old link now says they are off the list (and still changes nothing).
    const gone = await app.request(keepLinkIn(mailTo(silent.email)[0]?.parsed.text), { method: 'POST' });
    expect(gone.status).toBe(200);
    expect(await state(silent.id)).toMatchObject({ status: 'unsubscribed' });

    // A new waiting period: the keeper is asked again 180 days after keeping.
    deps.clock.advance(167 * DAY);
    expect(await runJob()).toMatchObject({ asked: 2 });
    expect(mailTo(keeper.email)).toHaveLength(2);
  });

  it('a forged or mangled link is a 404 page', async () => {
    expect((await app.request('/still-interested?token=1.AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await app.request('/still-interested?token=nope', { method: 'POST' })).status).toBe(404);
    expect((await app.request('/still-interested')).status).toBe(404);
  });

  it('REPERMISSION_AFTER_DAYS=0 turns it off', async () => {
    const off = await createTestDeps({ env: { REPERMISSION_AFTER_DAYS: '0' } });
    try {
      const { sku } = await createProduct(off, { quantity: 0 });
      await dbRows(
        off.db,
        sql`insert into subscriptions (email, email_normalized, sku, status, created_at, confirmed_at) values ('x@mail.example', 'x@mail.example', ${sku}, 'active', '2020-01-01', '2020-01-01')`,
      );
      const res = await createApp(off, off.services).request('/api/v1/admin/jobs/repermission/run', {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(((await res.json()) as { summary: unknown }).summary).toMatchObject({ skipped: true });
    } finally {
      await off.close();
    }
  });
});
