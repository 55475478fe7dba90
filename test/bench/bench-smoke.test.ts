import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConfirmations } from '../../bench/benchmarks/confirmations.js';
import { runLatency } from '../../bench/benchmarks/latency.js';
import { memoryRow, runFanout } from '../../bench/benchmarks/fanout.js';
import { runRender } from '../../bench/benchmarks/render.js';
import { runScan } from '../../bench/benchmarks/scan.js';
import { runSignup } from '../../bench/benchmarks/signup.js';
import { runWaveApi } from '../../bench/benchmarks/wave-api.js';
import { createContext } from '../../bench/lib/context.js';
import type { BenchRow } from '../../bench/lib/types.js';
import { onPostgres } from '../helpers/db.js';

/**
 * The benchmarks at tiny sizes, so they cannot rot. No timing is asserted: only that each benchmark
 * runs end to end and produces its row with positive figures. Those that need PostgreSQL (scratch
 * databases, a service with a pool) run only in the PostgreSQL run.
 */
const ctx = createContext({
  databaseUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  smtpConnections: 2,
  usmtpMessages: 20,
  progress: () => {},
});

afterAll(() => ctx.close());

function expectRow(rows: BenchRow[], name: string): BenchRow {
  const row = rows.find((r) => r.name === name);
  expect(row, `row ${name}`).toBeDefined();
  expect(row?.figure).not.toMatch(/error/);
  return row as BenchRow;
}

describe('benchmarks (tiny sizes)', () => {
  beforeAll(async () => {
    const u = await ctx.usmtp();
    expect(u.perSecond).toBeGreaterThan(0);
    expect(u.sinkCount).toBe(20);
  });

  it('render: renders and counts one MJML compile', async () => {
    const row = expectRow(await runRender(ctx, { renders: 50 }), 'render');
    expect(row.details.rendersPerSecond).toBeGreaterThan(0);
    expect(row.details.handlebarsAlonePerSecond).toBeGreaterThan(0);
    expect(row.details.compileCount).toBe(1);
  });

  it.skipIf(!onPostgres)(
    'signup (double opt-in on: ROLE=web + ROLE=worker) and signup-doi-off (ROLE=web): service and bare route answer, nothing acknowledged is lost',
    { timeout: 300_000 },
    async () => {
      const opts = {
        seconds: 1,
        warmupSeconds: 0,
        connections: 4,
        logLevel: 'warn',
        poolSize: 4,
        drainSeconds: 60,
        requests: 20,
      };
      for (const [variant, name] of [
        ['doi-on', 'signup'],
        ['doi-off', 'signup-doi-off'],
      ] as const) {
        const row = expectRow(await runSignup(ctx, opts, variant), name);
        const d = row.details as {
          max: { rps: number; ok: number };
          bound: { rps: number };
          healthz: { rps: number };
          lost: number;
          failures: number;
          acknowledged: number;
        };
        expect(d.max.rps).toBeGreaterThan(0);
        expect(d.max.ok).toBeGreaterThan(0);
        expect(d.bound.rps).toBeGreaterThan(0);
        expect(d.healthz.rps).toBeGreaterThan(0);
        expect(d.failures).toBe(0);
        expect(d.lost).toBe(0);
        // The CPU ratio's inputs are measured (a 20-request run may round to 0 µs: only their presence is asserted).
        expect(row.details.webCpuUsPerSignup).toBeTypeOf('number');
        expect(row.details.webCpuUsPerHealthz).toBeTypeOf('number');
        if (variant === 'doi-on') {
          // Every confirmation was sent by the worker; the web process sent none.
          const on = row.details as {
            confirmationsAtSink: number;
            webMail: { deliveries: number; smtpReplies: number };
          };
          expect(on.confirmationsAtSink).toBeGreaterThanOrEqual(d.acknowledged);
          expect(on.webMail).toEqual({ deliveries: 0, smtpReplies: 0 });
        }
      }
    },
  );

  it.skipIf(!onPostgres)(
    'fanout + memory: a restock reaches every subscriber through the worker and the sink',
    async () => {
      // One tiny run (each run starts a worker process); the memory row is computed from it twice.
      const run = await runFanout(ctx, { label: 'fanout-10k', recipients: 10 });
      const d = run.row.details as {
        messagesPerSecond: number;
        sentRows: number;
        recipients: number;
        firstMessageMs: number;
      };
      expect(d.sentRows).toBe(10);
      expect(d.messagesPerSecond).toBeGreaterThan(0);
      expect(d.firstMessageMs).toBeGreaterThan(0);
      expect(run.peakRssMb).toBeGreaterThan(0);
      expect(memoryRow(run, run, { small: 'fanout-10k', large: 'fanout-10k' }).ratio).toBe(1);
    },
  );

  it.skipIf(!onPostgres)(
    'confirmations: signups queue their confirmations, one worker pass sends them all spliced, then one pass each',
    { timeout: 300_000 },
    async () => {
      const row = await runConfirmations(ctx, { signups: 10, lone: 3 });
      const d = row.details as {
        sentRows: number;
        send: { spliced: number };
        workerCpuMs: number;
        messagesPerSecond: number;
      };
      expect(row.figure).not.toMatch(/error/);
      expect(d.sentRows).toBe(10);
      expect(d.send.spliced).toBe(10);
      expect(d.workerCpuMs).toBeGreaterThanOrEqual(0);
      expect(d.messagesPerSecond).toBeGreaterThan(0);
    },
  );

  it.skipIf(!onPostgres)(
    'wave-api: a restock through the HTTP API of a ROLE=all service reaches every subscriber',
    { timeout: 300_000 },
    async () => {
      const row = await runWaveApi(ctx, 10);
      const d = row.details as { messagesPerSecond: number; sentRows: number; firstMessageMs: number };
      expect(row.figure).not.toMatch(/error/);
      expect(d.sentRows).toBe(10);
      expect(d.messagesPerSecond).toBeGreaterThan(0);
      expect(d.firstMessageMs).toBeGreaterThan(0);
    },
  );

  it.skipIf(!onPostgres)('scan: one tick records a restock per changed SKU', async () => {
    const [row] = await runScan(ctx, { products: 200, subscriptions: 40, changed: 5 });
    const d = row?.details as { tickMs: number; restockEvents: number };
    expect(d.restockEvents).toBe(5);
    expect(d.tickMs).toBeGreaterThan(0);
  });
});

describe('latency benchmark (tiny)', () => {
  it('restock and confirmation emails arrive through the real service processes, figures come out', {
    timeout: 600_000,
  }, async () => {
    // PostgreSQL: ROLE=web + ROLE=worker processes; PGlite (always): one ROLE=all process.
    const rows = await runLatency(ctx, {
      settleSeconds: 1,
      samples: 1,
      databases: onPostgres ? ['postgres', 'pglite'] : ['pglite'],
    });
    expect(rows).toHaveLength(onPostgres ? 4 : 2);
    for (const row of rows) {
      expect(row.figure).not.toMatch(/error/);
      const d = row.details as { samplesMs: number[]; coldMs: number };
      expect(d.samplesMs).toHaveLength(1);
      expect(d.samplesMs[0]).toBeGreaterThan(0);
      expect(d.coldMs).toBeGreaterThan(0);
    }
  });
});
