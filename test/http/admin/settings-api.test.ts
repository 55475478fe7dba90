import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { closeDeps, createDeps, type Deps } from '../../../src/deps.js';
import { SETTINGS_CACHE_MS } from '../../../src/domain/settings/effective-settings.js';
import { repermissionJob } from '../../../src/jobs/repermission.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { createApp } from '../../../src/http/app.js';
import { createServices, type Services } from '../../../src/services.js';
import { createTestDeps, INVENTORY_TOKEN, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { createProduct, createRestockEvent, createSubscribers } from '../../helpers/factories.js';
import { fromIp, uniqueEmail } from '../../helpers/signup-fixtures.js';
import { asSession, asToken, loginAs } from './console-helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let ip = 10;
const nextIp = () => fromIp(`198.51.100.${ip++}`);

beforeAll(async () => {
  deps = await createTestDeps({
    env: { NOTIFY_PER_UNIT: '1', WAVE_INTERVAL_MINUTES: '60', DOUBLE_OPT_IN: 'true', SHOW_WAITLIST_COUNT: 'false' },
  });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

const get = async (a = app) =>
  (await (await a.request('/api/v1/admin/settings', { headers: asToken(MARKETING_TOKEN) })).json()) as Json;
const put = (body: unknown, headers: Record<string, string> = asToken(MARKETING_TOKEN), a = app) =>
  a.request('/api/v1/admin/settings', { method: 'PUT', headers, body: JSON.stringify(body) });
const changes = async () =>
  ((await (await app.request('/api/v1/admin/settings/changes', { headers: asToken(MARKETING_TOKEN) })).json()) as Json)
    .changes as Json[];
const signup = async (a: typeof app, sku: string) => {
  const res = await a.request(
    '/api/v1/signups',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail(), sku }),
    },
    nextIp(),
  );
  return ((await res.json()) as Json).subscription.status as string;
};

describe('GET/PUT /api/v1/admin/settings', () => {
  it('starts with the environment’s values, nothing stored', async () => {
    const s = await get();
    expect(s).toMatchObject({
      notifyPerUnit: 1,
      waveIntervalMinutes: 60,
      restockSettleSeconds: 60,
      doubleOptIn: true,
      showWaitlistCount: false,
      etaChangeMinDays: 1,
      repermissionAfterDays: 180,
      stored: [],
    });
    expect(s.defaults).toEqual({
      notifyPerUnit: 1,
      waveIntervalMinutes: 60,
      restockSettleSeconds: 60,
      doubleOptIn: true,
      showWaitlistCount: false,
      etaChangeMinDays: 1,
      repermissionAfterDays: 180,
    });
  });

  it('a stored value wins, is audited (who, when, old → new), and null returns to the default', async () => {
    const s = await loginAs(app, deps, 'marketing');
    const res = await put({ waveIntervalMinutes: 15, notifyPerUnit: 'auto' }, asSession(s));
    expect(res.status).toBe(200);
    const saved = (await res.json()) as Json;
    expect(saved).toMatchObject({ waveIntervalMinutes: 15, notifyPerUnit: 'auto', doubleOptIn: true });
    expect([...saved.stored].sort()).toEqual(['notifyPerUnit', 'waveIntervalMinutes']);
    expect(saved.defaults.waveIntervalMinutes).toBe(60);
    expect(await get()).toEqual(saved);
    let log = await changes();
    expect(log.filter((c) => c.key === 'waveIntervalMinutes')).toEqual([
      {
        key: 'waveIntervalMinutes',
        oldValue: null,
        newValue: 15,
        changedBy: s.email,
        changedAt: deps.clock.now().toISOString(),
      },
    ]);
    // The same value again is no change: no audit row.
    await put({ waveIntervalMinutes: 15 }, asSession(s));
    expect((await changes()).length).toBe(log.length);
    deps.clock.advance(60_000);
    await put({ waveIntervalMinutes: 30 }, asToken(MARKETING_TOKEN));
    await put({ waveIntervalMinutes: null });
    log = await changes();
    expect(log.slice(0, 2).map((c) => [c.oldValue, c.newValue, c.changedBy])).toEqual([
      [30, null, 'token:marketing'],
      [15, 30, 'token:marketing'],
    ]);
    const after = await get();
    expect(after.waveIntervalMinutes).toBe(60);
    expect(after.stored).toEqual(['notifyPerUnit']);
    await put({ notifyPerUnit: null });
  });

  it('refuses bad values with one clear detail per field, and writes nothing', async () => {
    const before = await changes();
    const res = await put({
      notifyPerUnit: 'lots',
      waveIntervalMinutes: 0,
      restockSettleSeconds: 1.5,
      repermissionAfterDays: 7,
      doubleOptIn: 'yes',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Json;
    expect(body.error.code).toBe('VALIDATION');
    const byPath = Object.fromEntries((body.error.details as Json[]).map((d) => [d.path, d.message]));
    expect(Object.keys(byPath).sort()).toEqual([
      'doubleOptIn',
      'notifyPerUnit',
      'repermissionAfterDays',
      'restockSettleSeconds',
      'waveIntervalMinutes',
    ]);
    expect(byPath.repermissionAfterDays).toMatch(/at least 30 days/);
    expect(byPath.waveIntervalMinutes).toMatch(/at least 1 minute/);
    const typo = await put({ waveIntervalMinute: 5 });
    expect(typo.status).toBe(400);
    expect(JSON.stringify(await typo.json())).toMatch(/waveIntervalMinute/);
    expect(await changes()).toEqual(before);
    expect((await get()).stored).toEqual([]);
  });

  it('needs the marketing or admin scope', async () => {
    expect((await app.request('/api/v1/admin/settings')).status).toBe(401);
    expect((await put({ doubleOptIn: false }, asToken(INVENTORY_TOKEN))).status).toBeGreaterThanOrEqual(401);
    expect((await get()).doubleOptIn).toBe(true);
  });

  it('signups, the widget’s count and the hosted page follow the settings on this instance at once', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    await createSubscribers(deps, sku, 3);
    expect(await signup(app, sku)).toBe('pending');
    const avail = async () =>
      ((await (await app.request(`/api/v1/products/${sku}/availability`)).json()) as Json).waiting;
    expect(await avail()).toBeNull();
    await put({ doubleOptIn: false, showWaitlistCount: true });
    expect(await signup(app, sku)).toBe('active');
    expect(await avail()).toBe(4);
    const page = await (await app.request(`/signup/${sku}`)).text();
    expect(page).toContain('4 people are waiting for this.');
    expect(page).not.toContain('We will send you a link to confirm your address first.');
    await put({ doubleOptIn: null, showWaitlistCount: null });
    expect(await signup(app, sku)).toBe('pending');
  });
});

describe('a second instance', () => {
  let deps2: Deps;
  let runtime2: Services;
  let app2: ReturnType<typeof createApp>;
  beforeAll(async () => {
    // On PostgreSQL a real second instance: its own connection pool to the same database. PGlite has
    // one connection, so there the second instance shares it but has its own app, runtime and memo.
    deps2 =
      deps.config.database.kind === 'postgres'
        ? await createDeps(deps.config, { clock: deps.clock, log: deps.log })
        : { ...deps };
    runtime2 = createServices(deps2);
    app2 = createApp(deps2, runtime2);
  });
  afterAll(async () => {
    await runtime2.stop();
    if (deps2.db !== deps.db) await closeDeps(deps2);
  });

  it('follows a stored setting without a restart: jobs at their next run, requests within the memo window', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    await createSubscribers(deps, sku, 10);
    expect(await signup(app2, sku)).toBe('pending'); // instance 2 has read the settings now
    expect(await repermissionJob(deps2, runtime2, new AbortController().signal)).not.toHaveProperty('skipped');

    // Instance 1 changes them.
    expect((await put({ doubleOptIn: false, notifyPerUnit: 3, repermissionAfterDays: 0 })).status).toBe(200);

    // Jobs on instance 2 read the settings afresh each run.
    expect(await repermissionJob(deps2, runtime2, new AbortController().signal)).toMatchObject({ skipped: true });
    const event = await createRestockEvent(deps, sku, 2);
    await runSendPass(deps2, runtime2);
    const [wave] = await rows<{ max_recipients: number }>(
      deps.db,
      sql`select max_recipients from restock_waves where restock_event_id = ${event}`,
    );
    expect(wave?.max_recipients).toBe(6); // 2 units × 3 per unit, not × 1 (the environment's)

    // Requests on instance 2 follow once its memo is older than the window (the injected clock moves).
    deps.clock.advance(SETTINGS_CACHE_MS);
    const { sku: other } = await createProduct(deps, { quantity: 0 });
    expect(await signup(app2, other)).toBe('active');
    expect((await get(app2)).doubleOptIn).toBe(false);
    await put({ doubleOptIn: null, notifyPerUnit: null, repermissionAfterDays: null });
  });
});
