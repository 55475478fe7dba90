import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows as dbRows } from '../../src/db/client.js';
import { closeDeps, createDeps, type Deps } from '../../src/deps.js';
import { createApp } from '../../src/http/app.js';
import { startWakeLoop, type WakeLoop } from '../../src/jobs/wake-loop.js';
import { createServices, type Services } from '../../src/services.js';
import { onPostgres } from '../helpers/db.js';
import { createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../helpers/deps.js';
import { jsonPost } from '../helpers/signup-fixtures.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { createProduct, createSubscribers } from '../helpers/factories.js';

/**
 * The wake-up path (src/db/wake.ts, src/jobs/wake-loop.ts): an inventory change or a signup is acted
 * on because the worker was woken, never because a cron job ran (no test here calls a job). On
 * PostgreSQL the "web" side is a second Deps with its own pool (ROLE=web) and the worker LISTENs on
 * its own dedicated connection.
 */
let sink: SmtpSink;
let deps: TestDeps;
let loop: WakeLoop;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({
    smtpUrl: sink.url,
    env: { RESTOCK_SETTLE_SECONDS: '1', ROLE: 'worker', NOTIFY_PER_UNIT: '0' },
  });
  loop = await startWakeLoop(deps, deps.services);
  app = createApp(deps, deps.services);
});
afterAll(async () => {
  await loop?.stop();
  await deps?.close();
  await sink?.close();
});

const put = (a: ReturnType<typeof createApp>, sku: string, body: unknown) =>
  a.request(`/api/v1/inventory/${encodeURIComponent(sku)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const to = (email: string) => () => sink.messages.filter((m) => m.envelopeTo.includes(email));

async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('wake-ups instead of cron ticks', () => {
  it('a restock is confirmed when its settle window ends (timer) and the email arrives; no job is called', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const [sub] = await createSubscribers(deps, sku, 1);
    expect((await put(app, sku, { quantity: 4, reason: 'restock' })).status).toBe(200);

    // The woken scan saw the increase and opened a settle window (scan_after = its end).
    await until(
      async () =>
        (
          await dbRows<{ at: unknown }>(
            deps.db,
            sql`select scan_after as at from products where sku = ${sku} and restock_pending_since is not null`,
          )
        )[0],
      'the settle window',
    );
    expect(to(sub!.email)()).toHaveLength(0);
    // Business time passes the window; the worker's timer (armed for the window's end) does the rest.
    deps.clock.advance(1000);
    const [mail] = await until(to(sub!.email), 'the back-in-stock email');
    expect(mail?.parsed.subject).toMatch(/back/i);
    const events = await dbRows<{ n: number }>(
      deps.db,
      sql`select count(*)::int as n from restock_events where sku = ${sku}`,
    );
    expect(events[0]?.n).toBe(1);
  });

  it('an ETA change of an out-of-stock SKU reaches the waitlist without a cron tick', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const [sub] = await createSubscribers(deps, sku, 1, { prefix: 'eta' });
    expect((await put(app, sku, { quantity: 0, eta: '2026-04-20', etaReason: 'Supplier delay' })).status).toBe(200);
    const [mail] = await until(to(sub!.email), 'the eta-revised email');
    expect(mail?.parsed.text).toContain('Supplier delay');
  });

  it('nothing is announced for a change that does not count (a drop to 0): the scan runs, no email', async () => {
    const { sku } = await createProduct(deps, { quantity: 3 });
    const [sub] = await createSubscribers(deps, sku, 1, { prefix: 'drop' });
    await put(app, sku, { quantity: 0 });
    await until(
      async () =>
        (
          await dbRows<{ id: number }>(
            deps.db,
            sql`select scanned_event_id as id from products where sku = ${sku} and scanned_event_id > 0`,
          )
        )[0],
      'the scan',
    );
    await deps.services.idle();
    expect(to(sub!.email)()).toHaveLength(0);
  });
});

describe.skipIf(!onPostgres)('PostgreSQL: a ROLE=web process and a ROLE=worker process', () => {
  let web: Deps;
  let webServices: Services;
  let webApp: ReturnType<typeof createApp>;
  beforeAll(async () => {
    // Same database, its own pool, no mail of its own: what a separate web process has.
    web = await createDeps(
      { ...deps.config, role: 'web', mail: { kind: 'smtp', url: 'smtp://127.0.0.1:9', maxConnections: 1 } },
      { clock: deps.clock },
    );
    webServices = createServices(web);
    webApp = createApp(web, webServices);
  });
  afterAll(async () => {
    await webServices?.stop();
    if (web) await closeDeps(web);
  });

  it("a signup on the web side: its confirmation is sent by the worker's transactional lane", async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const email = `wake-${Date.now()}@mail.example`;
    const res = await webApp.request('/api/v1/signups', jsonPost({ email, sku }));
    expect(res.status).toBe(201);
    const [mail] = await until(to(email), 'the confirmation email');
    expect(mail?.parsed.text).toContain('/confirm?token=');
    // The web side's mailer points at a closed port: had it tried, the row would show a failed attempt.
    await deps.services.idle();
    const [row] = await dbRows<{ attempts: number; status: string }>(
      deps.db,
      sql`select attempts, status from deliveries where recipient = ${email}`,
    );
    expect(row).toEqual({ attempts: 1, status: 'sent' });
  });

  it('an inventory write on the web side wakes the worker (settle 1 s, timer)', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const [sub] = await createSubscribers(deps, sku, 1, { prefix: 'web' });
    expect((await put(webApp, sku, { quantity: 2 })).status).toBe(200);
    await until(
      async () =>
        (
          await dbRows<{ at: unknown }>(
            deps.db,
            sql`select scan_after as at from products where sku = ${sku} and restock_pending_since is not null`,
          )
        )[0],
      'the settle window',
    );
    deps.clock.advance(1000);
    await until(to(sub!.email), 'the back-in-stock email');
  });
});
