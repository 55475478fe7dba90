import { createServices } from '../../src/services.js';
import { rows as dbRows } from '../../src/db/client.js';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config.js';
import { closeDeps, createDeps } from '../../src/deps.js';
import { applyInventoryChanges } from '../../src/domain/inventory/apply-inventory-changes.js';
import { planRestockWaves } from '../../src/domain/waves/plan-restock-waves.js';
import { restockScanJob } from '../../src/jobs/restock-scan.js';
import { coresUsed, snapshotCpu } from '../lib/cpu.js';
import { createScratchDb } from '../lib/scratch-db.js';
import { fmt, sizeFromEnv, type BenchContext, type BenchRow } from '../lib/types.js';

export type ScanOptions = { products: number; subscriptions: number; changed: number };

export function scanOptionsFromEnv(): ScanOptions {
  return {
    products: sizeFromEnv('BENCH_SCAN_PRODUCTS', 1_000_000, { min: 10 }),
    subscriptions: sizeFromEnv('BENCH_SCAN_SUBSCRIPTIONS', 100_000, { min: 10 }),
    changed: sizeFromEnv('BENCH_SCAN_CHANGED', 1_000, { min: 1 }),
  };
}

/**
 * `scan`: one restock-scan tick over a large catalogue — `products` SKUs, `subscriptions` open
 * (active) subscriptions on the first tenth of them, and `changed` SKUs restocked through the bulk
 * intake just before the tick (settle 0, so the tick decides and records every restock). The catalogue
 * is bulk-loaded with generate_series. Figure: the tick's wall time (goal < 1 s); the wave planning
 * that follows (one send tick's planning) is reported alongside.
 */
export async function runScan(ctx: BenchContext, opts: ScanOptions): Promise<BenchRow[]> {
  const db = await createScratchDb(ctx.databaseUrl, 'scan');
  let deps: Awaited<ReturnType<typeof createDeps>> | undefined;
  try {
    const config = loadConfig({
      NODE_ENV: 'production',
      APP_SECRET: 'bench-secret-0123456789-abcdefghijklmnop',
      DATABASE_URL: db.url,
      LOG_LEVEL: 'warn',
      RESTOCK_SETTLE_SECONDS: '0',
      PUBLIC_BASE_URL: 'https://shop.example',
    });
    deps = await createDeps({ ...config, appSecret: config.appSecret ?? '' });
    ctx.progress(`scan: loading ${fmt(opts.products)} products, ${fmt(opts.subscriptions)} subscriptions`);
    const pad = String(opts.products).length;
    const skuOf = (g: string) => sql.raw(`'SKU-' || lpad(${g}::text, ${pad}, '0')`);
    await dbRows(
      db.database.db,
      sql`insert into products (sku, name, url, quantity)
      select ${skuOf('g')}, 'Product ' || g, 'https://shop.example/p/' || g, 0 from generate_series(1, ${opts.products}::int) g`,
    );
    // Subscriptions spread over the first tenth of the catalogue (demand is concentrated).
    const subscribedSkus = Math.max(1, Math.min(opts.products, Math.ceil(opts.products / 10)));
    await dbRows(
      db.database.db,
      sql`insert into subscriptions (email, email_normalized, sku, status, source, created_at, confirmed_at)
      select 's' || g || '@example.com', 's' || g || '@example.com', ${skuOf(`(1 + (g % ${subscribedSkus}))`)}, 'active', 'bench',
             now() - interval '3 days', now() - interval '2 days' + g * interval '1 millisecond'
      from generate_series(1, ${opts.subscriptions}::int) g`,
    );
    await dbRows(db.database.db, sql`vacuum analyze`);

    // The changed SKUs, evenly over the subscribed ones, restocked through the real bulk intake.
    const step = Math.max(1, Math.floor(subscribedSkus / opts.changed));
    const changes = Array.from({ length: opts.changed }, (_, i) => ({
      sku: `SKU-${String(1 + ((i * step) % opts.products)).padStart(pad, '0')}`,
      quantity: 5,
      reason: 'restock',
    }));
    await applyInventoryChanges(deps, { changes, source: 'bulk' });

    ctx.progress(`scan: one tick over ${fmt(opts.changed)} changed SKUs`);
    const before = snapshotCpu({});
    const started = performance.now();
    const services = createServices(deps);
    const summary = await restockScanJob(deps, services, new AbortController().signal);
    const tickMs = performance.now() - started;
    const after = snapshotCpu({});
    const planStarted = performance.now();
    const waves = await planRestockWaves({ ...deps, outbox: services.outbox.deliveries });
    const planMs = performance.now() - planStarted;
    const [{ n: restockEvents } = { n: 0 }] = await dbRows<{ n: number }>(
      db.database.db,
      sql`select count(*)::int as n from restock_events`,
    );

    return [
      {
        name: 'scan',
        figure: `${fmt(tickMs)} ms per tick (${fmt(opts.changed)} changed of ${fmt(opts.products)} SKUs, ${fmt(opts.subscriptions)} subscriptions)`,
        bound: '—',
        ratio: null,
        goal: '< 1 s',
        met: tickMs < 1000 && restockEvents === opts.changed,
        details: {
          ...opts,
          tickMs: Math.round(tickMs),
          summary,
          restockEvents,
          planWavesMs: Math.round(planMs),
          waves,
          cores: coresUsed(before, after),
        },
      },
    ];
  } finally {
    if (deps) await closeDeps(deps);
    await db.drop();
  }
}
