import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.js';
import { startCountingSink, type CountingSink } from '../helpers/counting-sink.js';
import { seededRandom, startService, type ServiceProcess } from '../helpers/service-process.js';

// kill -9 of a real worker process mid-wave, on PostgreSQL (a second process needs a real server).
// Two workers share each wave (as in production); each trial kills one of them at a seeded random
// point after the wave's first messages have arrived, restarts it at once and waits until the wave is
// done. The survivor takes the dead worker's claim over when its lease ends (the restarted one too,
// once it is up: start-up takes seconds on a loaded machine). Reproduce: KILL_TRIAL_SEED=<seed>.
const TRIALS = Number(process.env.KILL_TRIALS ?? 10);
const RECIPIENTS = Number(process.env.KILL_TRIAL_RECIPIENTS ?? 1000);
const BASE_SEED = Number(process.env.KILL_TRIAL_SEED ?? 20261128);
const LEASE_SECONDS = 3;
const MAX_CONNECTIONS = 5;
const IN_FLIGHT = 2 * MAX_CONNECTIONS;

let db: TestDatabase;
let sink: CountingSink;
const workers: ServiceProcess[] = [];
beforeAll(async () => {
  if (!onPostgres) return;
  db = await createTestDatabase();
  sink = await startCountingSink();
});
afterAll(async () => {
  if (!onPostgres) return;
  for (const w of workers) w.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  await sink?.close();
  await db?.close();
});

const startWorker = () =>
  startService({
    ROLE: 'worker',
    DATABASE_URL: db.url!,
    DATABASE_POOL_SIZE: '4',
    SMTP_URL: sink.url,
    SMTP_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
    DELIVERY_LEASE_SECONDS: String(LEASE_SECONDS),
    SEND_CRON: '* * * * * *',
    RESTOCK_SCAN_CRON: '0 0 1 1 *',
    PUBLIC_BASE_URL: 'https://shop.example',
    LOG_LEVEL: 'warn',
  });

/** Queues `n` back-in-stock deliveries due now (real time: the worker runs on the system clock). */
async function queueWave(trial: number, n: number): Promise<{ min: number; max: number }> {
  const [r] = await rows<{ min: number; max: number }>(
    db.db,
    sql`with ins as (
          insert into deliveries (kind, dedupe_key, recipient, recipient_normalized, template_key, locale, variables, bulk, priority, status, next_attempt_at, created_at, updated_at)
          select 'back-in-stock', 'kill-trial:' || ${trial} || ':' || i, 'r' || i || '-t' || ${trial} || '@mail.example', 'r' || i || '-t' || ${trial} || '@mail.example',
            'back-in-stock', 'en', jsonb_build_object('productName', 'Trial lamp', 'productUrl', 'https://shop.example/p/lamp', 'quantity', 5, 'restockedAt', now()),
            true, 1, 'queued', now(), now(), now()
          from generate_series(1, ${n}) i
          returning id
        )
        select min(id)::int as min, max(id)::int as max from ins`,
  );
  return r!;
}

describe.skipIf(!onPostgres)('kill -9 mid-wave (real worker process, PostgreSQL, SMTP sink)', () => {
  it(`${TRIALS} seeded kills: 0 lost, duplicates ≤ ${IN_FLIGHT} in flight per kill, the dead claim is due again within the lease`, {
    timeout: 480_000,
  }, async () => {
    const results: {
      seed: number;
      perSecond: number;
      killAfter: number;
      duplicates: number;
      lost: number;
      staleRows: number;
      leaseLeftMs: number;
      recoveryMs: number;
    }[] = [];
    workers.push(startWorker(), startWorker());
    for (let trial = 0; trial < TRIALS; trial++) {
      const seed = BASE_SEED + trial;
      const random = seededRandom(seed);
      const { min, max } = await queueWave(trial, RECIPIENTS);
      const ofTrial = (a: { deliveryId: number }) => a.deliveryId >= min && a.deliveryId <= max;
      const killAfter = 1 + Math.floor(random() * RECIPIENTS * 0.7);
      await sink.waitUntil((a) => a.filter(ofTrial).length >= killAfter, 90_000);
      const victim = workers[trial % 2]!;
      victim.kill('SIGKILL');
      const { at: killedAt } = await victim.exited;
      const killedAtWall = Date.now();
      // The dead worker's claim: rows still `sending`, and how long their lease still runs.
      const [stale] = await rows<{ n: number; lease_end: number | null }>(
        db.db,
        sql`select count(*)::int as n, extract(epoch from max(next_attempt_at))::float8 * 1000 as lease_end
            from deliveries where status = 'sending' and id between ${min} and ${max} and claimed_by like ${`%:${victim.pid}:%`}`,
      );
      const staleIds = await rows<{ id: number }>(
        db.db,
        sql`select id from deliveries where status = 'sending' and id between ${min} and ${max} and claimed_by like ${`%:${victim.pid}:%`}`,
      );
      workers[trial % 2] = startWorker();
      await sink.waitUntil((a) => new Set(a.filter(ofTrial).map((x) => x.deliveryId)).size >= RECIPIENTS, 90_000);
      // Done on the ledger too (the last outcomes are written just after the last 250).
      for (let i = 0; i < 100; i++) {
        const [left] = await rows<{ n: number }>(
          db.db,
          sql`select count(*)::int as n from deliveries where status <> 'sent' and id between ${min} and ${max}`,
        );
        if (left!.n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const arrivals = sink.arrivals.filter(ofTrial);
      const counts = new Map<number, number>();
      for (const a of arrivals) counts.set(a.deliveryId, (counts.get(a.deliveryId) ?? 0) + 1);
      const duplicates = arrivals.length - counts.size;
      const [notSent] = await rows<{ n: number }>(
        db.db,
        sql`select count(*)::int as n from deliveries where status <> 'sent' and id between ${min} and ${max}`,
      );
      const staleSet = new Set(staleIds.map((r) => r.id));
      const staleResent = arrivals.filter((a) => staleSet.has(a.deliveryId) && a.at > killedAt).map((a) => a.at);
      const first = Math.min(...arrivals.map((a) => a.at));
      const last = Math.max(...arrivals.map((a) => a.at));
      const result = {
        seed,
        perSecond: Math.round((arrivals.length / (last - first)) * 1000),
        killAfter,
        duplicates,
        lost: RECIPIENTS - counts.size + notSent!.n,
        staleRows: stale!.n,
        leaseLeftMs: stale!.lease_end === null ? 0 : Math.round(Number(stale!.lease_end) - killedAtWall),
        recoveryMs: staleResent.length ? Math.round(Math.max(...staleResent) - killedAt) : 0,
      };
      results.push(result);
      console.log(`kill trial ${trial}: ${JSON.stringify(result)}`);
    }
    console.log(
      `kill trials summary: kills=${results.length} lost=${results.reduce((s, r) => s + r.lost, 0)} ` +
        `worstDuplicatesPerKill=${Math.max(...results.map((r) => r.duplicates))} totalDuplicates=${results.reduce((s, r) => s + r.duplicates, 0)} ` +
        `worstLeaseLeftMs=${Math.max(...results.map((r) => r.leaseLeftMs))} worstRecoveryMs=${Math.max(...results.map((r) => r.recoveryMs))}`,
    );
    for (const r of results) {
      expect(r.lost, `seed ${r.seed}`).toBe(0);
      expect(r.duplicates, `seed ${r.seed}`).toBeLessThanOrEqual(IN_FLIGHT);
      // The dead worker's rows are due again at most one lease after the kill (not 300 s later).
      expect(r.leaseLeftMs, `seed ${r.seed}`).toBeLessThanOrEqual(LEASE_SECONDS * 1000 + 500);
    }
  });
});
