import { sql } from 'drizzle-orm';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { createApp } from '../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.js';
import { freePort, startService } from '../helpers/service-process.js';

const SHUTDOWN_TIMEOUT_SECONDS = 5;
const CLIENTS = 16;

describe('draining (in-process app)', () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(() => deps?.close());

  it('while draining, /readyz answers 503 and every response says Connection: close', async () => {
    const app = createApp(deps, deps.services);
    expect((await app.request('/readyz')).headers.get('connection')).toBeNull();
    deps.services.lifecycle.draining = true;
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not_ready', database: true, pendingMigrations: 0, draining: true });
    expect(ready.headers.get('connection')).toBe('close');
    expect((await app.request('/healthz')).headers.get('connection')).toBe('close');
    deps.services.lifecycle.draining = false;
  });
});

// A real web process under keep-alive load: it must exit within SHUTDOWN_TIMEOUT_SECONDS of SIGTERM
// whatever the clients do (they keep hammering until the process is gone).
describe.skipIf(!onPostgres)('SIGTERM under keep-alive load (real web process, PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    if (onPostgres) db = await createTestDatabase();
  });
  afterAll(() => db?.close());

  it(`${CLIENTS} kept-alive clients hammering signups: exits 0 within ${SHUTDOWN_TIMEOUT_SECONDS} s`, {
    timeout: 90_000,
  }, async () => {
    await rows(db.db, sql`insert into products (sku, name, quantity) values ('DRAIN-1', 'Drain lamp', 0)`);
    const port = await freePort();
    const web = startService({
      ROLE: 'web',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url!,
      SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS),
      SIGNUP_RATE_LIMIT_PER_IP: '0',
      SIGNUP_RATE_LIMIT_PER_EMAIL: '0',
      DOUBLE_OPT_IN: 'false',
      LOG_LEVEL: 'warn',
    });
    try {
      for (let i = 0; i < 600; i++) {
        const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (up) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
      let stop = false;
      let sigtermAt = Infinity;
      const stats = { before: 0, after: 0, closeHeaders: 0, errors: 0 };
      const post = (n: number) =>
        new Promise<void>((resolve) => {
          const body = JSON.stringify({ email: `drain-${n}@mail.example`, sku: 'DRAIN-1' });
          const req = request(
            {
              host: '127.0.0.1',
              port,
              path: '/api/v1/signups',
              method: 'POST',
              agent,
              headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
            },
            (res) => {
              res.resume();
              res.on('end', () => {
                if (performance.now() < sigtermAt) stats.before += 1;
                else stats.after += 1;
                if (res.headers.connection === 'close') stats.closeHeaders += 1;
                resolve();
              });
            },
          );
          req.on('error', () => {
            stats.errors += 1;
            setTimeout(resolve, 5);
          });
          req.end(body);
        });
      let n = 0;
      const clients = Array.from({ length: CLIENTS }, async () => {
        while (!stop) await post(n++);
      });
      await new Promise((r) => setTimeout(r, 2000));
      expect(stats.before).toBeGreaterThan(0);
      sigtermAt = performance.now();
      web.kill('SIGTERM');
      const exit = await Promise.race([web.exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
      stop = true;
      await Promise.all(clients);
      agent.destroy();
      const shutdownMs = exit ? Math.round(exit.at - sigtermAt) : Infinity;
      console.log(
        `SIGTERM under keep-alive load: ${JSON.stringify({ clients: CLIENTS, shutdownMs, exitCode: exit?.code, servedBefore: stats.before, servedAfterSigterm: stats.after, connectionCloseAnswers: stats.closeHeaders, refusedAfter: stats.errors })}`,
      );
      expect(exit, 'the process is still running 30 s after SIGTERM').not.toBeNull();
      expect(exit!.code).toBe(0);
      expect(shutdownMs).toBeLessThanOrEqual(SHUTDOWN_TIMEOUT_SECONDS * 1000);
      expect(web.lines.join('\n')).not.toMatch(/shutdown timed out/);
    } finally {
      web.kill('SIGKILL');
      await web.exited;
    }
  });
});
