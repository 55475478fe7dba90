import { loadConfig } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { createServices } from '../src/services.js';
import { seedTemplates } from '../src/domain/templates/seed-templates.js';
import { runSendPass } from '../src/jobs/send.js';
import { createApp } from '../src/http/app.js';
import { restockScanJob } from '../src/jobs/restock-scan.js';
import { serveParent } from './lib/child.js';

/**
 * The worker of the fan-out benchmarks, one fresh process per run so its peak RSS belongs to that run.
 * Config from the environment (real PostgreSQL, SMTP to the sink). `restock` does what production does
 * after a restock call, without waiting for cron ticks: the PUT through the app, one restock-scan tick,
 * then the sender's pass (plan the wave, send everything due). `send` is the sender's pass alone.
 */
const now = () => performance.timeOrigin + performance.now();
const config = loadConfig(process.env);
const deps = await createDeps({ ...config, appSecret: config.appSecret ?? 'bench-secret-0123456789-abcdefghijklmnop' });
const services = createServices(deps);
const app = createApp(deps, services);
const token = config.apiTokens.find((t) => t.scope === 'inventory')?.token ?? '';
// Seeding compiles every template: the per-process MJML compile is start-up work, not per restock.
await seedTemplates({ ...deps, renderer: services.renderer });

const mb = (n: number) => Math.round(n / 2 ** 20);
let peakRss = process.memoryUsage().rss;
let atPeak = process.memoryUsage();
const startup = process.memoryUsage();
// memoryUsage.rss() is cheap; the full breakdown (heap statistics) only when a new peak is seen, so
// the sampler does not take CPU from the worker it measures.
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) {
    peakRss = rss;
    atPeak = process.memoryUsage();
  }
}, 50);
sampler.unref();

async function put(sku: string, quantity: number): Promise<number> {
  const res = await app.request(`/api/v1/inventory/${encodeURIComponent(sku)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ quantity, reason: 'restock' }),
  });
  if (res.status !== 200) throw new Error(`PUT inventory → ${res.status} ${await res.text()}`);
  return res.status;
}

serveParent(
  {
    async restock({ sku, quantity }: { sku: string; quantity: number }) {
      const rssBefore = process.memoryUsage().rss;
      const t0 = now();
      await put(sku, quantity);
      const tPut = now();
      const controller = new AbortController();
      const scan = await restockScanJob(deps, services, controller.signal);
      const tScan = now();
      const send = await runSendPass(deps, services, { signal: controller.signal });
      const tSend = now();
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      return {
        t0,
        putMs: tPut - t0,
        scanMs: tScan - tPut,
        sendMs: tSend - tScan,
        scan,
        send,
        rssBeforeMb: rssBefore / 2 ** 20,
      };
    },
    /**
     * One send pass over what is due, nothing planned (the `confirmations` row: the double opt-in
     * emails that signups queued before the pass). Same sender as the restock's pass.
     */
    async send() {
      const t0 = now();
      const send = await services.sender.run();
      return { t0, sendMs: now() - t0, send };
    },
    memory() {
      const breakdown = (m: NodeJS.MemoryUsage) => ({
        rss: mb(m.rss),
        heapTotal: mb(m.heapTotal),
        heapUsed: mb(m.heapUsed),
        external: mb(m.external),
      });
      // With --expose-gc (BENCH_WORKER_NODE_FLAGS): the live heap after the run, to tell a leak
      // (live size grows with N) from garbage V8 has not collected yet.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      return {
        liveAfterGc: gc ? breakdown(process.memoryUsage()) : undefined,
        peakRssMb: Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
        startup: breakdown(startup),
        atPeak: breakdown(atPeak),
      };
    },
  },
  { pid: process.pid },
);
