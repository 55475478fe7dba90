import { runSendPass } from '../../../src/jobs/send.js';
import { rows as dbRows } from '../../../src/db/client.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRestockWaves } from '../../../src/domain/waves/plan-restock-waves.js';
import { createApp } from '../../../src/http/app.js';
import { ADMIN_TOKEN, createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { jsonPost, rowIdOf, uniqueEmail } from '../../helpers/signup-fixtures.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { createProduct, createRestockEvent, createSubscribers } from '../../helpers/factories.js';

let deps: TestDeps;
let sink: SmtpSink;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({
    smtpUrl: sink.url,
    env: { SIGNUP_RATE_LIMIT_PER_EMAIL: '0', SIGNUP_RATE_LIMIT_PER_IP: '0' },
  });
  app = createApp(deps, deps.services);
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

const to = (email: string) => sink.messages.filter((m) => m.envelopeTo.includes(email));
const ledger = (email: string) =>
  dbRows<{
    dedupe_key: string;
    status: string;
    priority: number;
    bulk: boolean;
    variables: Record<string, unknown>;
    attempts: number;
  }>(
    deps.db,
    sql`select dedupe_key, status, priority, bulk, variables, attempts from deliveries where recipient = ${email} order by id`,
  );

describe('confirmation email on the ledger', () => {
  it('a signup commits a transactional delivery with the subscription and the kick sends it right away; its token is scrubbed once sent', async () => {
    const { sku } = await createProduct(deps);
    const email = uniqueEmail('ledger');
    const res = await app.request('/api/v1/signups', jsonPost({ email, sku }));
    await deps.services.idle(); // the confirmation is sent right after the answer
    expect(res.status).toBe(201);
    const id = await rowIdOf(deps, (await res.json()) as { subscription: { id: string } }, email, sku);
    expect(to(email)).toHaveLength(1);
    const rows = await ledger(email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'sent',
      priority: 0,
      bulk: false,
      dedupe_key: expect.stringMatching(new RegExp(`^confirm:${id}:[0-9a-f]{16}$`)),
    });
    expect(rows[0]!.variables).not.toHaveProperty('confirmUrl');
    expect(to(email)[0]!.raw).not.toMatch(/^List-Unsubscribe:/im);
  });

  it('a 451 on the confirmation is retried by the ledger after the backoff', async () => {
    const { sku } = await createProduct(deps);
    const email = uniqueEmail('retry');
    sink.setBehaviour(email, '451');
    expect((await app.request('/api/v1/signups', jsonPost({ email, sku }))).status).toBe(201);
    await deps.services.idle(); // the confirmation is sent right after the answer
    expect(to(email)).toHaveLength(0);
    expect((await ledger(email))[0]).toMatchObject({ status: 'retry', attempts: 1 });
    expect((await ledger(email))[0]!.variables).toHaveProperty('confirmUrl');
    sink.setBehaviour(email, 'accept');
    deps.clock.advance(61_000);
    await runSendPass(deps, deps.services);
    expect(to(email)).toHaveLength(1);
    expect((await ledger(email))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a retried earlier confirmation is still sent after a re-signup (its link stays valid); once confirmed, a queued one is skipped', async () => {
    const { sku } = await createProduct(deps);
    const email = uniqueEmail('stale');
    sink.setBehaviour(email, '451');
    expect((await app.request('/api/v1/signups', jsonPost({ email, sku }))).status).toBe(201);
    await deps.services.idle();
    expect((await ledger(email))[0]).toMatchObject({ status: 'retry' });
    sink.setBehaviour(email, 'accept');
    expect((await app.request('/api/v1/signups', jsonPost({ email, sku }))).status).toBe(200);
    await deps.services.idle();
    deps.clock.advance(61_000);
    await runSendPass(deps, deps.services);
    const rows = await ledger(email);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(rows.every((r) => !('confirmUrl' in r.variables))).toBe(true);
    expect(to(email)).toHaveLength(2);
    const links = to(email).map((m) => /https:\/\/shop\.example\/confirm\?token=[\w-]+/.exec(m.parsed.text ?? '')?.[0]);
    expect(new Set(links).size).toBe(2);
    const page = await app.request(links[0]!.replace('https://shop.example', ''));
    expect(page.status).toBe(200);

    // Confirmed now: a third signup is a no-op, and a confirmation still queued from before is skipped.
    sink.setBehaviour(email, '451');
    await dbRows(deps.db, sql`update subscriptions set status = 'pending' where email_normalized = ${email}`);
    expect((await app.request('/api/v1/signups', jsonPost({ email, sku }))).status).toBe(200);
    await deps.services.idle();
    expect((await ledger(email))[2]).toMatchObject({ status: 'retry' });
    await app.request(links[1]!.replace('https://shop.example', ''));
    sink.setBehaviour(email, 'accept');
    deps.clock.advance(61_000);
    await runSendPass(deps, deps.services);
    const after = await ledger(email);
    expect(after[2]).toMatchObject({ status: 'skipped' });
    expect(after[2]!.variables).not.toHaveProperty('confirmUrl');
    expect(to(email)).toHaveLength(2);
  });

  it('transactional mail is claimed before a bulk backlog', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    await createSubscribers(deps, sku, 30);
    await createRestockEvent(deps, sku, 30);
    const { sku: other } = await createProduct(deps);
    const email = uniqueEmail('first');
    // Queue the wave without sending, then sign up: the kick sends only the confirmation.
    await planRestockWaves(deps);
    const before = sink.messages.length;
    expect((await app.request('/api/v1/signups', jsonPost({ email, sku: other }))).status).toBe(201);
    await deps.services.idle(); // the confirmation is sent right after the answer
    expect(sink.messages.length).toBe(before + 1);
    expect(to(email)).toHaveLength(1);
  });

  it('POST /api/v1/admin/jobs/send/run plans, sends and returns the summary', async () => {
    const res = await app.request('/api/v1/admin/jobs/send/run', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { job: string; summary: Record<string, number> };
    expect(body.job).toBe('send');
    expect(body.summary).toMatchObject({
      claimed: 30,
      sent: 30,
      retried: 0,
      failed: 0,
      skipped: 0,
      unknown: 0,
      ms: expect.any(Number),
    });
  });
});
