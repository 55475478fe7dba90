import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rows as dbRows } from '../../src/db/client.js';
import { sql } from 'drizzle-orm';
import { startChild } from '../lib/child.js';
import { coresUsed, snapshotCpu } from '../lib/cpu.js';
import { createScratchDb, type ScratchDb } from '../lib/scratch-db.js';
import { fmt, sizeFromEnv, type BenchContext, type BenchRow } from '../lib/types.js';

export type FanoutOptions = { recipients: number; label: string };

export function fanoutSizesFromEnv(): { small: number; large: number } {
  return { small: sizeFromEnv('BENCH_FANOUT_SMALL', 10_000), large: sizeFromEnv('BENCH_FANOUT_LARGE', 100_000) };
}

export type FanoutResult = {
  row: BenchRow;
  peakRssMb: number;
};

/**
 * V8 flags of the fan-out worker: exactly those `npm run worker` (package.json, the start command
 * README documents for workers) starts node with, read from the script itself, so `memory` measures
 * what a worker runs with. BENCH_WORKER_NODE_FLAGS replaces them (e.g. to add `--cpu-prof`; '' = none).
 */
function workerScriptNodeFlags(): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const script = pkg.scripts.worker ?? '';
  return script
    .split(/\s+/)
    .filter((t) => /^--(max|min)-[a-z-]+(=|$)/.test(t))
    .join(' ');
}

export function workerNodeFlags(): string[] {
  return (process.env.BENCH_WORKER_NODE_FLAGS ?? workerScriptNodeFlags()).split(' ').filter(Boolean);
}

const SKU = 'BENCH-FANOUT-1';

/**
 * One out-of-stock product and `n` active subscriptions for it, bulk-loaded in one statement
 * (`confirmed_at` increases with g, so the wave order is defined), then VACUUM ANALYZEd.
 */
export async function seedWaitlist(db: ScratchDb, sku: string, n: number): Promise<void> {
  await dbRows(
    db.database.db,
    sql`insert into products (sku, name, url, image_url, quantity)
    values (${sku}, 'Trail Runner 2 — Forest Green, EU 42', 'https://shop.example/products/trail-runner-2',
            'https://cdn.example.com/products/trail-runner-2.jpg', 0)`,
  );
  await dbRows(
    db.database.db,
    sql`insert into subscriptions (email, email_normalized, sku, locale, name, status, source, created_at, confirmed_at)
    select 'fan-' || g || '@example.com', 'fan-' || g || '@example.com', ${sku}, 'en', 'Shopper ' || g, 'active', 'bench',
           now() - interval '2 days', now() - interval '1 day' + g * interval '1 millisecond'
    from generate_series(1, ${n}::int) g`,
  );
  await dbRows(db.database.db, sql`vacuum analyze subscriptions`);
}
export const TOKEN = 'bench-inventory-token';

/** The service settings of a restock wave (fan-out worker and wave-api service alike): settle 0, the whole waitlist at once. */
export function waveEnv(ctx: BenchContext, databaseUrl: string, smtpUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    APP_SECRET: 'bench-secret-0123456789-abcdefghijklmnop',
    PUBLIC_BASE_URL: 'https://shop.example',
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtpUrl,
    SMTP_MAX_CONNECTIONS: String(ctx.smtpConnections),
    API_TOKENS: `inventory:${TOKEN}`,
    RESTOCK_SETTLE_SECONDS: '0',
    NOTIFY_PER_UNIT: '0',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  };
}

/**
 * `fanout-N`: N active subscriptions wait for one SKU; one PUT restocks it (settle 0, no per-unit limit)
 * and the worker (a separate process) runs the scan and the sender until the sink (another process)
 * has all N messages. Figures: messages/s from the restock call to the last message accepted, time to
 * the first message; bound U_smtp (same sink, same connection count).
 */
export async function runFanout(ctx: BenchContext, opts: FanoutOptions): Promise<FanoutResult> {
  const usmtp = await ctx.usmtp();
  const sink = await ctx.sink();
  const db = await createScratchDb(ctx.databaseUrl, opts.label);
  try {
    ctx.progress(`${opts.label}: seeding ${opts.recipients} active subscriptions`);
    await seedWaitlist(db, SKU, opts.recipients);

    const worker = await startChild(
      'fanout-worker.ts',
      { ...waveEnv(ctx, db.url, sink.url), ROLE: 'worker' },
      { execArgv: workerNodeFlags() },
    );
    try {
      await sink.reset();
      ctx.progress(`${opts.label}: restock → ${opts.recipients} messages`);
      const before = snapshotCpu({ worker: worker.pid, sink: sink.pid });
      const waiting = sink.waitFor(opts.recipients, 60 * 60_000);
      const run = await worker.request<{
        t0: number;
        putMs: number;
        scanMs: number;
        sendMs: number;
        scan: Record<string, unknown>;
        send: Record<string, number>;
      }>('restock', { sku: SKU, quantity: opts.recipients });
      const stats = await waiting;
      const after = snapshotCpu({ worker: worker.pid, sink: sink.pid });
      const memory = await worker.request<{
        peakRssMb: number;
        maxRssMb: number;
        startup: unknown;
        atPeak: unknown;
        liveAfterGc?: unknown;
      }>('memory');
      const [{ n: sent } = { n: 0 }] = await dbRows<{ n: number }>(
        db.database.db,
        sql`select count(*)::int as n from deliveries where status = 'sent'`,
      );

      const totalMs = (stats.lastAt ?? 0) - run.t0;
      const firstMs = (stats.firstAt ?? 0) - run.t0;
      const perSecond = (opts.recipients / totalMs) * 1000;
      const steady =
        stats.lastAt && stats.firstAt && stats.lastAt > stats.firstAt
          ? ((opts.recipients - 1) / (stats.lastAt - stats.firstAt)) * 1000
          : perSecond;
      const ratio = perSecond / usmtp.perSecond;
      const met = ratio > 1 && firstMs < 1000 && sent === opts.recipients;
      const row: BenchRow = {
        name: opts.label,
        figure: `${fmt(perSecond)} msg/s (${fmt(opts.recipients)} in ${fmt(totalMs / 1000, 1)} s); first after ${fmt(firstMs)} ms`,
        bound: `U_smtp ${fmt(usmtp.perSecond)} msg/s`,
        ratio: Math.round(ratio * 100) / 100,
        goal: '> 1.0 × U_smtp; first < 1 s',
        met,
        details: {
          recipients: opts.recipients,
          connections: ctx.smtpConnections,
          workerNodeFlags: workerNodeFlags().join(' '),
          messagesPerSecond: Math.round(perSecond),
          steadyMessagesPerSecond: Math.round(steady),
          firstMessageMs: Math.round(firstMs),
          totalMs: Math.round(totalMs),
          phasesMs: { put: Math.round(run.putMs), scan: Math.round(run.scanMs), planAndSend: Math.round(run.sendMs) },
          scan: run.scan,
          send: run.send,
          sentRows: sent,
          sinkBytes: stats.bytes,
          sinkConnections: stats.connections,
          peakRssMb: Math.round(memory.peakRssMb),
          maxRssMb: Math.round(memory.maxRssMb),
          memoryAtStartupMb: memory.startup,
          memoryAtPeakMb: memory.atPeak,
          memoryLiveAfterGcMb: memory.liveAfterGc,
          cores: coresUsed(before, after),
          uSmtp: { perSecond: Math.round(usmtp.perSecond), messages: usmtp.messages, cores: usmtp.cores },
        },
      };
      return { row, peakRssMb: memory.maxRssMb };
    } finally {
      await worker.stop();
    }
  } finally {
    await db.drop();
  }
}

/** `memory`: the worker's peak RSS during fanout-large vs fanout-small. */
export function memoryRow(
  small: FanoutResult,
  large: FanoutResult,
  labels: { small: string; large: string },
): BenchRow {
  const growth = large.peakRssMb / small.peakRssMb - 1;
  return {
    name: 'memory',
    figure: `peak RSS ${fmt(large.peakRssMb)} MB (${labels.large}) vs ${fmt(small.peakRssMb)} MB (${labels.small}): ${growth >= 0 ? '+' : ''}${fmt(growth * 100)}%`,
    bound: '—',
    ratio: Math.round((large.peakRssMb / small.peakRssMb) * 100) / 100,
    goal: '≤ 200 MB; large within 20% of small',
    met: large.peakRssMb <= 200 && growth <= 0.2,
    details: {
      smallMb: Math.round(small.peakRssMb),
      largeMb: Math.round(large.peakRssMb),
      growthPct: Math.round(growth * 1000) / 10,
    },
  };
}
