import { readFileSync } from 'node:fs';
import { rows as dbRows } from '../../src/db/client.js';
import { sql } from 'drizzle-orm';
import { boundMessageFromRaw } from '../lib/captured-message.js';
import { startLayout, stopLayout, workerScriptNodeFlags, type ServiceHandle } from '../lib/service.js';
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
 * Node flags added to the worker's start command (`npm run worker`'s own flags always apply), e.g.
 * BENCH_WORKER_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile it.
 */
function extraWorkerNodeFlags(): string[] {
  return (process.env.BENCH_WORKER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
}

/**
 * The heap flags of `npm run worker` (package.json's script) plus BENCH_WORKER_NODE_FLAGS, for a bench
 * child that runs the sender in-process (the `confirmations` row's bench/fanout-worker.ts).
 */
export function workerNodeFlags(): string[] {
  return [...workerScriptNodeFlags(), ...extraWorkerNodeFlags()];
}

/** Peak resident set size of a live process (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

const SKU = 'BENCH-FANOUT-1';
const epochNow = () => performance.timeOrigin + performance.now();

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
 * `fanout-N`, in the production layout: N active subscriptions wait for one SKU; a `ROLE=web` service
 * takes the restock through the API (`PUT /api/v1/inventory/{sku}` over HTTP, settle 0, no per-unit
 * limit) and one worker process, started exactly as `npm run worker` starts it, reacts to the wake-up,
 * scans, plans and sends; nothing else polls. The sink (another process) counts the messages.
 * Figures: messages/s from the PUT to the sink's N-th message, time to the first message, the
 * worker's CPU per message. Bound: U_smtp measured right after, in the same run, sending the first
 * message the service sent in this run (captured by the sink: same From, subject, HTML, text and
 * List-* headers), composed by nodemailer per message, same sink and connection count.
 */
export async function runFanout(ctx: BenchContext, opts: FanoutOptions): Promise<FanoutResult> {
  const sink = await ctx.sink();
  const db = await createScratchDb(ctx.databaseUrl, opts.label);
  try {
    ctx.progress(`${opts.label}: seeding ${opts.recipients} active subscriptions`);
    await seedWaitlist(db, SKU, opts.recipients);
    const layout = await startLayout('postgres', waveEnv(ctx, db.url, sink.url), {
      npmWorker: { nodeFlags: extraWorkerNodeFlags() },
    });
    const worker = layout.worker as ServiceHandle;
    let run: {
      t0: number;
      putMs: number;
      stats: Awaited<ReturnType<typeof sink.waitFor>>;
      sent: number;
      peakRssMb: number;
      cores: Record<string, number>;
      workerCpuMs: number;
      captured: string | null;
    };
    try {
      // The worker's start-up catch-up pass (scan + send with nothing due) is over before the clock starts.
      await new Promise((r) => setTimeout(r, 1000));
      await sink.reset();
      ctx.progress(`${opts.label}: PUT /api/v1/inventory/${SKU} → ${opts.recipients} messages`);
      const before = snapshotCpu({ worker: worker.pid, web: layout.web.pid, sink: sink.pid });
      const waiting = sink.waitFor(opts.recipients, 60 * 60_000);
      const t0 = epochNow();
      const res = await fetch(`${layout.web.url}/api/v1/inventory/${encodeURIComponent(SKU)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ quantity: opts.recipients, reason: 'restock' }),
      });
      const putMs = epochNow() - t0;
      if (res.status !== 200) throw new Error(`PUT inventory → ${res.status} ${await res.text()}`);
      const stats = await waiting;
      // The last outcomes are recorded just after the sink has the last message.
      let sent = 0;
      for (let i = 0; i < 100; i++) {
        [{ n: sent } = { n: 0 }] = await dbRows<{ n: number }>(
          db.database.db,
          sql`select count(*)::int as n from deliveries where status = 'sent'`,
        );
        if (sent >= opts.recipients) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const after = snapshotCpu({ worker: worker.pid, web: layout.web.pid, sink: sink.pid });
      const rss = peakRssMb(worker.pid);
      run = {
        t0,
        putMs,
        stats,
        sent,
        peakRssMb: rss,
        cores: coresUsed(before, after),
        workerCpuMs: (after.pids.worker ?? 0) - (before.pids.worker ?? 0),
        captured: await sink.captured(),
      };
    } finally {
      await stopLayout(layout);
    }
    if (typeof run.captured !== 'string') throw new Error(`${opts.label}: the sink captured no message`);
    const usmtp = await ctx.usmtp(await boundMessageFromRaw(run.captured));
    const { stats, t0, sent } = run;
    const totalMs = (stats.lastAt ?? 0) - t0;
    const firstMs = (stats.firstAt ?? 0) - t0;
    const perSecond = (opts.recipients / totalMs) * 1000;
    const steady =
      stats.lastAt && stats.firstAt && stats.lastAt > stats.firstAt
        ? ((opts.recipients - 1) / (stats.lastAt - stats.firstAt)) * 1000
        : perSecond;
    const ratio = perSecond / usmtp.perSecond;
    const workerUs = (run.workerCpuMs * 1000) / opts.recipients;
    const met = ratio >= 1.5 && firstMs < 1000 && sent === opts.recipients;
    const row: BenchRow = {
      name: opts.label,
      figure: `${fmt(perSecond)} msg/s (${fmt(opts.recipients)} in ${fmt(totalMs / 1000, 1)} s); first after ${fmt(firstMs)} ms; worker ${fmt(workerUs)} µs CPU/msg`,
      bound: `U_smtp ${fmt(usmtp.perSecond)} msg/s (${fmt(usmtp.senderCpuUsPerMessage)} µs CPU/msg)`,
      ratio: Math.round(ratio * 100) / 100,
      goal: '≥ 1.5 × U_smtp; first < 1 s',
      met,
      details: {
        recipients: opts.recipients,
        connections: ctx.smtpConnections,
        layout: 'ROLE=web (PUT over HTTP) + one `npm run worker`',
        workerExtraNodeFlags: extraWorkerNodeFlags().join(' '),
        messagesPerSecond: Math.round(perSecond),
        steadyMessagesPerSecond: Math.round(steady),
        firstMessageMs: Math.round(firstMs),
        totalMs: Math.round(totalMs),
        putMs: Math.round(run.putMs),
        workerCpuUsPerMessage: Math.round(workerUs),
        cpuRatio: Math.round((usmtp.senderCpuUsPerMessage / workerUs) * 100) / 100,
        sentRows: sent,
        sinkBytesPerMessage: Math.round(stats.bytes / opts.recipients),
        sinkConnections: stats.connections,
        peakRssMb: Math.round(run.peakRssMb),
        cores: run.cores,
        uSmtp: {
          perSecond: Math.round(usmtp.perSecond),
          messages: usmtp.messages,
          message: usmtp.message,
          sinkBytesPerMessage: usmtp.sinkBytesPerMessage,
          senderCpuUsPerMessage: usmtp.senderCpuUsPerMessage,
          cores: usmtp.cores,
        },
      },
    };
    return { row, peakRssMb: run.peakRssMb };
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
