import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import cron from 'node-cron';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { rawClient } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { closeDeps, createDeps } from '../src/deps.js';
import { seedTemplates } from '../src/domain/templates/seed-templates.js';
import { createApp } from '../src/http/app.js';
import { createRenderer } from '../src/mail/render.js';
import { createServices } from '../src/services.js';
import { largeCatalogue } from '../test/fixtures/mjml/large.js';

/**
 * `npx tsx bench/editor-preview.ts`: the whole app on a real port (PGlite in memory) while the editor
 * previews the two heavy inputs of issue 20 — 160 KB that made the old alt-text regex quadratic, and
 * a valid 300 KB template — over real HTTP. Meanwhile /healthz is asked every 25 ms and a node-cron
 * task ticks every second: prints the worst /healthz answer and how many ticks were missed, next to
 * the same probes' baseline with nothing previewed (on a shared machine that noise is the floor).
 */
const TOKEN = 'bench-admin-token-1';
const config = loadConfig({
  ...process.env,
  PGLITE_DIR: 'memory://',
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
  API_TOKENS: `admin:${TOKEN}`,
  NODE_ENV: 'test',
});
const deps = await createDeps({ ...config, appSecret: 'bench-secret-bench-secret-bench-secret' });
await migrateDatabase({ db: deps.db, raw: rawClient(deps.db, config.database.kind) });
// BENCH_NO_POOL=1: MJML and the checks in the request's own thread, as before the render pool (for comparison).
const runtime = createServices(deps, process.env.BENCH_NO_POOL === '1' ? { renderer: createRenderer() } : {});
await seedTemplates({ ...deps, renderer: runtime.renderer });
const server = serve({ fetch: createApp(deps, runtime).fetch, port: 0, hostname: '127.0.0.1' });
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const pathological = `<mjml><mj-body><mj-section><mj-column><mj-text>${'<mj-image alt'.repeat(12_500)}</mj-text></mj-column></mj-section></mj-body></mjml>`;
const valid = largeCatalogue(440);

const healthz: number[] = [];
const loop = monitorEventLoopDelay({ resolution: 10 });
let probing = true;
const probe = (async () => {
  while (probing) {
    const t0 = performance.now();
    await (await fetch(`${base}/healthz`)).arrayBuffer();
    healthz.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 25));
  }
})();
let ticks = 0;
const task = cron.schedule('* * * * * *', () => void ticks++, { name: 'bench-tick' });
// Baseline first: the same probes for 3 s with nothing previewed (the machine is shared; this is its noise).
loop.enable();
await new Promise((r) => setTimeout(r, 3000));
const baseline = { worst: Math.round(Math.max(...healthz)), loopMaxMs: Math.round(loop.max / 1e6) };
healthz.length = 0;
loop.reset();
const started = performance.now();

async function previewOf(label: string, mjml: string) {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/admin/templates/back-in-stock/en/preview`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ subject: 'Bench', mjml }),
  });
  const raw = await res.text();
  if (res.status !== 200) console.error(label, res.status, raw.slice(0, 300));
  const body = (raw ? JSON.parse(raw) : {}) as { checks?: { code: string }[] };
  return {
    label,
    kB: Math.round(mjml.length / 1024),
    status: res.status,
    ms: Math.round(performance.now() - t0),
    checks: [...new Set((body.checks ?? []).map((c) => c.code))].join(' '),
  };
}

const results = await Promise.all([previewOf('pathological', pathological), previewOf('valid 300 KB', valid)]);
// A second look at the same content (the editor page opening the saved draft): from the cache.
results.push(await previewOf('valid 300 KB again', valid));
const seconds = (performance.now() - started) / 1000;
probing = false;
await probe;
task.stop();

const sorted = [...healthz].sort((a, b) => a - b);
console.table(results);
console.log(
  JSON.stringify({
    baselineHealthzWorstMs: baseline.worst,
    baselineLoopDelayMaxMs: baseline.loopMaxMs,
    loopDelayMaxMs: Math.round(loop.max / 1e6),
    loopDelayP99Ms: Math.round(loop.percentile(99) / 1e6),
    healthzRequests: healthz.length,
    healthzWorstMs: Math.round(sorted.at(-1) ?? 0),
    healthzP99Ms: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
    cronTicks: ticks,
    cronTicksExpected: Math.floor(seconds),
    cronTicksMissed: Math.max(0, Math.floor(seconds) - ticks - 1),
    renderPoolRuns: runtime.renderPool?.stats.runs,
  }),
);
server.close();
await runtime.stop();
await closeDeps(deps);
process.exit(0);
