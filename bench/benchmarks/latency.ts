import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDb, type ScratchDb } from '../lib/scratch-db.js';
import { startLayout, stopLayout, type Layout } from '../lib/service.js';
import { fmt, sizeFromEnv, type BenchContext, type BenchRow } from '../lib/types.js';

export type LatencyOptions = {
  /** RESTOCK_SETTLE_SECONDS of the service (the goal is settle + 2 s). */
  settleSeconds: number;
  /** Restocks and signups measured, one after the other. */
  samples: number;
  databases: ('postgres' | 'pglite')[];
};

export function latencyOptionsFromEnv(): LatencyOptions {
  const which = process.env.BENCH_LATENCY_DATABASES ?? 'postgres,pglite';
  return {
    settleSeconds: sizeFromEnv('BENCH_LATENCY_SETTLE_SECONDS', 5, { scaled: false }),
    samples: sizeFromEnv('BENCH_LATENCY_SAMPLES', 5, { min: 1 }),
    databases: which
      .split(',')
      .map((s) => s.trim())
      .filter((s): s is 'postgres' | 'pglite' => s === 'postgres' || s === 'pglite'),
  };
}

const TOKEN = 'bench-inventory-token';
const epochNow = () => performance.timeOrigin + performance.now();

async function call(url: string, init: RequestInit & { json?: unknown }, expectStatus: number[]): Promise<void> {
  const res = await fetch(url, {
    ...init,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${TOKEN}`,
      ...(init.headers as Record<string, string>),
    },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  if (!expectStatus.includes(res.status)) throw new Error(`${init.method} ${url} → ${res.status} ${await res.text()}`);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};

/**
 * `latency` ("seconds, not minutes"): the real service (`src/main.ts`) with default cron schedules,
 * real SMTP to the sink process. Restock: an out-of-stock SKU with one active subscriber gets
 * `PUT /api/v1/inventory/{sku}` quantity 3; figure = sink arrival of the back-in-stock email minus the
 * moment the call was made (goal ≤ RESTOCK_SETTLE_SECONDS + 2 s; without wake-ups it is settle + up to
 * two cron ticks, 60–130 s by default). Confirmation: `POST /api/v1/signups` under double opt-in;
 * figure = sink arrival of the confirmation minus the call (goal ≤ 1 s). The web process sends no mail:
 * it NOTIFYs, the worker's lane sends.
 */
export async function runLatency(ctx: BenchContext, opts: LatencyOptions): Promise<BenchRow[]> {
  const sink = await ctx.sink();
  const out: BenchRow[] = [];
  for (const kind of opts.databases) {
    let scratch: ScratchDb | undefined;
    let dir: string | undefined;
    let layout: Layout | undefined;
    try {
      const dbEnv: Record<string, string> = {};
      if (kind === 'postgres') {
        scratch = await createScratchDb(ctx.databaseUrl, 'latency');
        dbEnv.DATABASE_URL = scratch.url;
      } else {
        dir = await mkdtemp(join(tmpdir(), 'rn-bench-latency-'));
        dbEnv.DATABASE_URL = '';
        dbEnv.PGLITE_DIR = join(dir, 'pglite');
      }
      const env = {
        ...dbEnv,
        NODE_ENV: 'production',
        APP_SECRET: 'bench-secret-0123456789-abcdefghijklmnop',
        PUBLIC_BASE_URL: 'https://shop.example',
        SMTP_URL: sink.url,
        API_TOKENS: `inventory:${TOKEN}`,
        LOG_LEVEL: 'info',
        RESTOCK_SETTLE_SECONDS: String(opts.settleSeconds),
        SIGNUP_RATE_LIMIT_PER_IP: '0',
        SIGNUP_RATE_LIMIT_PER_EMAIL: '0',
      };
      const label = kind === 'postgres' ? 'PostgreSQL, ROLE=web + ROLE=worker' : 'PGlite, ROLE=all';

      // Restocks: subscribers join without double opt-in, so the sink sees only back-in-stock mail.
      ctx.progress(`latency (${label}): restocks, settle ${opts.settleSeconds} s`);
      layout = await startLayout(kind, { ...env, DOUBLE_OPT_IN: 'false' });
      // Sample 0 of each phase is the cold path (first SMTP connection, first render of the template
      // version): reported in the details, not in the figure.
      const restock: number[] = [];
      for (let i = 0; i <= opts.samples; i++) {
        const sku = `LAT-${kind}-${i}`;
        await call(
          `${layout.web.url}/api/v1/inventory/${sku}`,
          { method: 'PUT', json: { quantity: 0, name: `Latency ${i}` } },
          [200],
        );
        await call(
          `${layout.web.url}/api/v1/signups`,
          { method: 'POST', json: { email: `lat-${kind}-${i}@example.com`, sku } },
          [201],
        );
        await new Promise((r) => setTimeout(r, 200));
        await sink.reset();
        const t0 = epochNow();
        await call(
          `${layout.web.url}/api/v1/inventory/${sku}`,
          { method: 'PUT', json: { quantity: 3, reason: 'restock' } },
          [200],
        );
        const stats = await sink.waitFor(1, (opts.settleSeconds + 60) * 1000);
        restock.push((stats.firstAt ?? NaN) - t0);
      }
      await stopLayout(layout);
      layout = undefined;

      ctx.progress(`latency (${label}): confirmations`);
      layout = await startLayout(kind, { ...env, DOUBLE_OPT_IN: 'true' });
      const confirm: number[] = [];
      const outOfStock = `LAT-${kind}-waiting`;
      await call(`${layout.web.url}/api/v1/inventory/${outOfStock}`, { method: 'PUT', json: { quantity: 0 } }, [200]);
      for (let i = 0; i <= opts.samples; i++) {
        await sink.reset();
        const t0 = epochNow();
        await call(
          `${layout.web.url}/api/v1/signups`,
          { method: 'POST', json: { email: `confirm-${kind}-${i}@example.com`, sku: outOfStock } },
          [201],
        );
        const stats = await sink.waitFor(1, 60_000);
        confirm.push((stats.firstAt ?? NaN) - t0);
        await new Promise((r) => setTimeout(r, 100));
      }

      const restockColdMs = Math.round(restock.shift() ?? NaN);
      const confirmColdMs = Math.round(confirm.shift() ?? NaN);
      const restockGoalMs = (opts.settleSeconds + 2) * 1000;
      const rMax = Math.max(...restock);
      const cMax = Math.max(...confirm);
      out.push(
        {
          name: `latency-restock (${label})`,
          figure: `first email ${fmt(pct(restock, 50))} ms p50, ${fmt(rMax)} ms max after the inventory call (${restock.length} restocks; cold first ${fmt(restockColdMs)} ms)`,
          bound: `settle ${opts.settleSeconds} s`,
          ratio: Math.round((rMax / (opts.settleSeconds * 1000)) * 100) / 100,
          goal: `≤ settle + 2 s (${fmt(restockGoalMs)} ms)`,
          met: rMax <= restockGoalMs,
          details: {
            database: kind,
            settleSeconds: opts.settleSeconds,
            samplesMs: restock.map((x) => Math.round(x)),
            p50Ms: Math.round(pct(restock, 50)),
            maxMs: Math.round(rMax),
            overSettleMaxMs: Math.round(rMax - opts.settleSeconds * 1000),
            coldMs: restockColdMs,
          },
        },
        {
          name: `latency-confirmation (${label})`,
          figure: `confirmation ${fmt(pct(confirm, 50))} ms p50, ${fmt(cMax)} ms max after the signup (${confirm.length} signups; cold first ${fmt(confirmColdMs)} ms)`,
          bound: '—',
          ratio: null,
          goal: '≤ 1,000 ms',
          met: cMax <= 1000,
          details: {
            database: kind,
            samplesMs: confirm.map((x) => Math.round(x)),
            p50Ms: Math.round(pct(confirm, 50)),
            maxMs: Math.round(cMax),
            coldMs: confirmColdMs,
          },
        },
      );
    } finally {
      await stopLayout(layout);
      await scratch?.drop();
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }
  return out;
}
