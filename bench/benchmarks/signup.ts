import { rows as dbRows } from '../../src/db/client.js';
import autocannon, { type Result } from 'autocannon';
import { sql } from 'drizzle-orm';
import { startChild, type ChildHandle } from '../lib/child.js';
import { coresUsed, snapshotCpu } from '../lib/cpu.js';
import { createScratchDb } from '../lib/scratch-db.js';
import { fmt, sizeFromEnv, type BenchContext, type BenchRow } from '../lib/types.js';

export type SignupOptions = {
  /** Seconds per measured autocannon run (max rate, half rate, bound). */
  seconds: number;
  /** 0 = no warm-up runs (smoke test). */
  warmupSeconds: number;
  connections: number;
  /** Service log level (production default: info, one JSON line per request). */
  logLevel: string;
  /** DATABASE_POOL_SIZE for the service. */
  poolSize: number;
  /** A fixed number of requests per run instead of `seconds` (the smoke test: figures cannot be 0). */
  requests?: number;
};

export function signupOptionsFromEnv(): SignupOptions {
  return {
    seconds: sizeFromEnv('BENCH_SIGNUP_SECONDS', 10),
    warmupSeconds: Number(process.env.BENCH_SIGNUP_WARMUP_SECONDS ?? 3),
    connections: sizeFromEnv('BENCH_SIGNUP_CONNECTIONS', 50, { scaled: false }),
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
    poolSize: sizeFromEnv('BENCH_DB_POOL_SIZE', 10, { scaled: false }),
  };
}

const SKU = 'BENCH-SIGNUP-1';
// `[<id>]` → a unique url-safe id per request (autocannon idReplacement): every signup is new.
const body = JSON.stringify({ email: 'bench-[<id>]@example.com', sku: SKU, locale: 'en' });

type Run = { rps: number; p50: number; p99: number; ok: number; non2xx: number; errors: number; statuses: Record<string, number>; cores: Record<string, number> };

async function load(url: string, opts: { connections: number; seconds: number; overallRate?: number; requests?: number }, pids: Record<string, number>): Promise<Run> {
  const before = snapshotCpu(pids);
  const r: Result = await autocannon({
    url: `${url}/api/v1/signups`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    idReplacement: true,
    connections: opts.connections,
    ...(opts.requests ? { amount: opts.requests } : { duration: opts.seconds }),
    timeout: 30,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
  });
  const after = snapshotCpu(pids);
  const statuses: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = s.count;
  return {
    // Completed requests over the run's duration (autocannon's per-second average is 0 for runs under 1 s).
    rps: r.duration > 0 ? Math.round((r.requests.total / r.duration) * 10) / 10 : 0,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    statuses,
    cores: coresUsed(before, after),
  };
}

/** One signup answered before any load: the cold path (first MJML compile, SMTP connect) is not measured. */
async function prime(url: string): Promise<void> {
  const res = await fetch(`${url}/api/v1/signups`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `prime-${Date.now()}@example.com`, sku: SKU }),
  });
  if (res.status >= 300) throw new Error(`priming signup → ${res.status} ${await res.text()}`);
}

/**
 * `signup`: POST /api/v1/signups at `connections` connections with unique emails against the service
 * (real PostgreSQL, rate limits off, double opt-in as by default), then p99 at half that rate; bound
 * U_http = a bare Hono route served the same way, measured in the same run. Afterwards the rows in
 * the database must equal the 2xx answers: nothing acknowledged may be lost.
 */
export async function runSignup(ctx: BenchContext, opts: SignupOptions): Promise<BenchRow[]> {
  const db = await createScratchDb(ctx.databaseUrl, 'signup');
  const sink = await ctx.sink();
  let server: ChildHandle | undefined;
  try {
    await dbRows(db.database.db, sql`insert into products (sku, name, quantity) values (${SKU}, 'Bench product', 0)`);

    ctx.progress('signup: U_http (bare Hono route)');
    server = await startChild('http-server.ts', { BENCH_SERVER: 'bare' });
    const bareUrl = String(server.info.url);
    await prime(bareUrl);
    if (opts.warmupSeconds > 0) await load(bareUrl, { connections: opts.connections, seconds: opts.warmupSeconds }, {});
    const bound = await load(bareUrl, { connections: opts.connections, seconds: opts.seconds, requests: opts.requests }, { server: server.pid, sink: sink.pid });
    await server.stop();

    ctx.progress('signup: service');
    server = await startChild('http-server.ts', {
      BENCH_SERVER: 'app',
      NODE_ENV: 'production',
      APP_SECRET: 'bench-secret-0123456789-abcdefghijklmnop',
      PUBLIC_BASE_URL: 'https://shop.example',
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: String(opts.poolSize),
      SMTP_URL: sink.url,
      LOG_LEVEL: opts.logLevel,
      SIGNUP_RATE_LIMIT_PER_IP: '0',
      SIGNUP_RATE_LIMIT_PER_EMAIL: '0',
      ROLE: 'web',
    });
    const appUrl = String(server.info.url);
    await prime(appUrl);
    const pids = { server: server.pid, sink: sink.pid };
    const warm: Pick<Run, 'ok' | 'non2xx' | 'errors'> =
      opts.warmupSeconds > 0 ? await load(appUrl, { connections: opts.connections, seconds: opts.warmupSeconds }, pids) : { ok: 0, non2xx: 0, errors: 0 };
    const max = await load(appUrl, { connections: opts.connections, seconds: opts.seconds, requests: opts.requests }, pids);
    ctx.progress(`signup: ${fmt(max.rps)} req/s; p99 at half that rate`);
    const halfRate = Math.max(1, Math.floor(max.rps / 2));
    const half = await load(appUrl, { connections: opts.connections, seconds: opts.seconds, overallRate: halfRate, requests: opts.requests }, pids);
    const serverRss = await server.request<{ maxRssKb: number }>('rss');
    await server.stop();
    server = undefined;

    const [{ n: rows } = { n: 0 }] = await dbRows<{ n: number }>(db.database.db, sql`select count(*)::int as n from subscriptions`);
    const acknowledged = 1 + warm.ok + max.ok + half.ok;
    const uHttp = bound.rps;
    const ratio = uHttp > 0 ? max.rps / uHttp : 0;
    const failures = warm.non2xx + max.non2xx + half.non2xx + warm.errors + max.errors + half.errors;
    // autocannon stops with requests in flight: those may commit unanswered, so rows ≥ acknowledged.
    const met = ratio >= 0.4 && half.p99 <= 25 && failures === 0 && rows >= acknowledged;
    return [
      {
        name: 'signup',
        figure: `${fmt(max.rps)} req/s (p50 ${max.p50} ms, p99 ${max.p99} ms); p99 ${half.p99} ms at ${fmt(halfRate)} req/s`,
        bound: `U_http ${fmt(uHttp)} req/s`,
        ratio: Math.round(ratio * 100) / 100,
        goal: '≥ 0.40 × U_http; p99 ≤ 25 ms at half rate',
        met,
        details: {
          connections: opts.connections,
          seconds: opts.seconds,
          logLevel: opts.logLevel,
          poolSize: opts.poolSize,
          max,
          half: { ...half, rate: halfRate },
          bound,
          rowsInDatabase: rows,
          acknowledged,
          lost: Math.max(0, acknowledged - rows),
          failures,
          serverMaxRssMb: Math.round(serverRss.maxRssKb / 1024),
        },
      },
    ];
  } finally {
    await server?.stop();
    await db.drop();
  }
}
