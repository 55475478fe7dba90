import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.js';
import { createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../helpers/deps.js';
import { freePort, startService, type ServiceProcess } from '../helpers/service-process.js';
import { createProduct } from '../helpers/factories.js';
import { fromIp, jsonPost } from '../helpers/signup-fixtures.js';

/**
 * Issue 21 point 5: the per-mailbox limits and the daily cap hold across web processes. The finding:
 * with two web processes, ten plus-address signups for one mailbox produced 6 confirmations under
 * a cap of 3. On PostgreSQL: two real web processes (src/main.ts) on one database, the signups
 * alternating between them. On PGlite (one process by construction): the same limits in one app.
 */
const LIMIT = 3;
const plus = (i: number) => `jane.doe+tag${i}@example.com`;

describe.runIf(onPostgres)('two web processes on one PostgreSQL', () => {
  let db: TestDatabase;
  const web: { proc: ServiceProcess; port: number }[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const proc = startService({
        ROLE: 'web',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: db.url!,
        API_TOKENS: `inventory:${INVENTORY_TOKEN}`,
        SIGNUP_RATE_LIMIT_PER_IP: '0',
        SIGNUP_RATE_LIMIT_PER_EMAIL: String(LIMIT),
        SIGNUP_DAILY_CAP_PER_EMAIL: '10',
        ADMIN_LOGIN_RATE_LIMIT_PER_ACCOUNT: '4',
        PUBLIC_BASE_URL: 'https://shop.example',
        LOG_LEVEL: 'warn',
      });
      web.push({ proc, port });
    }
    for (const w of web) {
      for (let i = 0; i < 600; i++) {
        if (
          await fetch(`http://127.0.0.1:${w.port}/readyz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const put = await fetch(`http://127.0.0.1:${web[0]!.port}/api/v1/inventory/SHARED-1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 0, name: 'Shared lamp' }),
    });
    expect(put.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    for (const w of web) w.proc.kill('SIGTERM');
    await Promise.all(web.map((w) => w.proc.exited));
    await db?.close();
  });

  it('ten plus-address signups for one mailbox, alternating processes: at most the limit get through', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const w = web[i % 2]!;
      const res = await fetch(`http://127.0.0.1:${w.port}/api/v1/signups`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: plus(i), sku: 'SHARED-1' }),
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 201 || s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10 - LIMIT);
  });

  it('login failures counted by one process delay the next attempt at the other', async () => {
    const attempt = async (port: number) => {
      const form = await fetch(`http://127.0.0.1:${port}/admin/login`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const cookie = form.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const res = await fetch(`http://127.0.0.1:${port}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({
          email: 'owner@shop.example',
          password: 'wrong wrong wrong',
          _csrf: csrf,
        }).toString(),
      });
      return res.status;
    };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await attempt(web[i % 2]!.port));
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });
});

describe('one process (PGlite or PostgreSQL): the same limits', () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps({
      env: {
        SIGNUP_RATE_LIMIT_PER_IP: '0',
        SIGNUP_RATE_LIMIT_PER_EMAIL: String(LIMIT),
        SIGNUP_DAILY_CAP_PER_EMAIL: '5',
      },
    });
  });
  afterAll(() => deps.close());

  it('two app instances of one process share the mailbox limit; the daily cap holds after the 10-minute window', async () => {
    const apps = [createApp(deps, deps.services), createApp(deps, deps.services)];
    const { sku } = await createProduct(deps, { quantity: 0 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await apps[i % 2]!.request('/api/v1/signups', jsonPost({ email: plus(100 + i), sku }), fromIp('192.0.2.5')))
          .status,
      );
    expect(statuses.filter((s) => s === 201)).toHaveLength(LIMIT);
    deps.clock.advance(11 * 60_000);
    const later: number[] = [];
    for (let i = 0; i < 4; i++)
      later.push(
        (await apps[i % 2]!.request('/api/v1/signups', jsonPost({ email: plus(200 + i), sku }), fromIp('192.0.2.5')))
          .status,
      );
    // 3 went through earlier (the refused ones are not counted): 2 more make the daily cap of 5.
    expect(later).toEqual([201, 201, 429, 429]);
  });
  it('signups for one mailbox arriving at once (counted together by one counter batch on PostgreSQL): exactly the limit get through, and the refused ones are not counted', async () => {
    const app = createApp(deps, deps.services);
    const { sku } = await createProduct(deps, { quantity: 0 });
    const send = (i: number) =>
      app.request('/api/v1/signups', jsonPost({ email: `john.roe+burst${i}@example.com`, sku }), fromIp('192.0.2.6'));
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => send(i)));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8 - LIMIT);
    // The refused five were taken back: after the 10-minute window two more make the daily cap of 5.
    deps.clock.advance(11 * 60_000);
    const later = await Promise.all(Array.from({ length: 4 }, (_, i) => send(10 + i)));
    expect(later.map((r) => r.status).sort()).toEqual([201, 201, 429, 429]);
  });
  it('every signup that was not refused counts, whatever its answer (unknown SKU, already signed up); the limit is answered first', async () => {
    const app = createApp(deps, deps.services);
    const { sku } = await createProduct(deps, { quantity: 0 });
    const send = (email: string, to: string) =>
      app.request('/api/v1/signups', jsonPost({ email, sku: to }), fromIp('192.0.2.7'));
    expect((await send('ann.lee+a@example.com', 'NO-SUCH-SKU')).status).toBe(404);
    expect((await send('ann.lee+b@example.com', sku)).status).toBe(201);
    expect((await send('ann.lee+b@example.com', sku)).status).toBe(200);
    // Three counted: the fourth is refused before its SKU is looked at, and so is a known address.
    expect((await send('ann.lee+c@example.com', 'NO-SUCH-SKU')).status).toBe(429);
    expect((await send('ann.lee+b@example.com', sku)).status).toBe(429);
  });
});
