import { serve } from '@hono/node-server';
import { getHeapStatistics } from 'node:v8';
import { loadConfigOrExit } from './load-config-or-exit.js';
import { closeDeps, createDeps } from './deps.js';
import { rawClient } from './db/client.js';
import { firstDemoSku, productsEmpty, seedDemoProducts } from './db/demo-products.js';
import { migrateDatabase } from './db/migrate.js';
import { createApp } from './http/app.js';
import { closeHttpServer } from './runtime/lifecycle.js';
import type { Server } from 'node:http';
import { scheduledJobs } from './jobs/index.js';
import { startScheduler } from './jobs/scheduler.js';
import { startWakeLoop } from './jobs/wake-loop.js';
import { createServices } from './services.js';
import { seedTemplates } from './domain/templates/seed-templates.js';
import { startupWarnings, usefulUrls } from './startup-notes.js';
import { serverOptions } from './http/server-timeouts.js';
import { createMetricsApp } from './http/metrics-app.js';
import { createMetrics } from './metrics/metrics.js';
import { observeJobs } from './jobs/observe-jobs.js';
import { observeMailer } from './metrics/observe-mailer.js';
import { ensureFirstAdmin } from './domain/users/ensure-first-admin.js';
import { anyLiveApiToken } from './domain/api-tokens/find-api-token.js';
import { seedPageCopy } from './domain/templates/seed-page-copy.js';
import { guardPostgresJsNullWrite } from './db/postgres-js-guard.js';

/** Composition root: config → deps → migrate → HTTP app and/or scheduler; SIGTERM → graceful stop. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const deps = await createDeps(config);
  const { log } = deps;
  if (config.database.kind === 'postgres') guardPostgresJsNullWrite(log);
  // `npm run worker` starts node with the worker's heap bounds (src/worker.ts); V8's default is ≥ 2 GB.
  if (config.role === 'worker' && getHeapStatistics().heap_size_limit > 1024 * 2 ** 20) {
    log.warn(
      'ROLE=worker without heap bounds: start workers with `npm run worker` (memory stays flat over long waves)',
    );
  }
  await migrateDatabase(
    { db: deps.db, raw: rawClient(deps.db, config.database.kind) },
    config.database.kind === 'postgres' ? config.database.listenUrl : undefined,
  );
  // Every missing or risky setting is warned about here, once (startup-notes.ts) — after the
  // migrations, since whether tokens made in the console exist decides the missing-tokens warning.
  const consoleTokens = config.apiTokens.length === 0 && (await anyLiveApiToken(deps));
  for (const warning of startupWarnings(config, { appSecretGenerated: !process.env.APP_SECRET?.trim(), consoleTokens }))
    log.warn(warning);
  const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  log.info(
    { database: config.database.kind, mail: config.mail.kind, role: config.role, heapLimitMb },
    'migrations applied',
  );
  // Templates from templates/ become published versions (or drafts, after console edits); see seed-templates.ts.
  const metrics = createMetrics({ processMetrics: true });
  deps.mailer = observeMailer(deps.mailer, metrics);
  const services = createServices(deps, { metrics });
  await seedTemplates({ ...deps, renderer: services.renderer });
  // The hosted pages' copy (templates/pages/<locale>.json) is versioned beside the emails, key `pages`.
  await seedPageCopy(deps);
  const firstAdmin = await ensureFirstAdmin(deps);
  if (firstAdmin === 'created')
    log.info({ event: 'first-admin-created' }, 'first console admin created from ADMIN_EMAIL');
  // A fresh embedded dev install gets the demo catalogue, so `npm start` alone is enough to try a signup.
  if (config.env === 'development' && config.database.kind === 'pglite' && (await productsEmpty(deps.db))) {
    log.info({ skus: await seedDemoProducts(deps.db) }, 'empty products table: demo products seeded (npm run seed)');
  }
  const demoSku = config.env === 'development' ? await firstDemoSku(deps.db) : undefined;

  const server =
    config.role === 'worker'
      ? undefined
      : serve(
          {
            fetch: createApp(deps, services).fetch,
            port: config.port,
            hostname: config.host,
            serverOptions: serverOptions(),
          },
          (info) => {
            const url = `http://localhost:${info.port}`;
            const urls = usefulUrls(config, url, demoSku);
            log.info({ url, publicBaseUrl: config.publicBaseUrl }, `restock-notifier listening on ${url}`);
            log.info({ urls: Object.fromEntries(urls.map((u) => [u.label, u.url])) }, 'useful URLs');
            // A person at a terminal gets them readable too; piped output stays pure JSON lines.
            if (process.stdout.isTTY) {
              const width = Math.max(...urls.map((u) => u.label.length));
              console.log(
                `\n  restock-notifier is running: ${url}\n${urls.map((u) => `    ${u.label.padEnd(width)}  ${u.url}`).join('\n')}\n`,
              );
            }
            if (config.env === 'development') {
              const how =
                firstAdmin === 'not-configured'
                  ? 'no console user yet: run `npm run admin:create` (or set ADMIN_EMAIL and ADMIN_PASSWORD and restart), then log in'
                  : 'log in with your console user (ADMIN_EMAIL, or one made by `npm run admin:create`)';
              log.info({ console: `${url}/admin/login` }, `console: ${url}/admin/login — ${how}`);
            }
          },
        );
  // A worker serves no API, but its counters (jobs, deliveries, SMTP replies) must be scrapeable.
  const metricsServer =
    config.role === 'worker' && config.metricsPort !== undefined
      ? serve(
          { fetch: createMetricsApp(deps, services.metrics).fetch, port: config.metricsPort, hostname: config.host },
          (info) => log.info({ port: info.port }, `worker metrics on http://localhost:${info.port}/metrics`),
        )
      : undefined;
  const scheduler =
    config.role === 'web' ? undefined : startScheduler(deps, services, observeJobs(scheduledJobs(config), metrics));
  // Workers act on a web process's writes within milliseconds (LISTEN/NOTIFY); cron ticks are the safety net.
  const wakeLoop = config.role === 'web' ? undefined : await startWakeLoop(deps, services);

  let stopping = false;
  /**
   * SIGTERM/SIGINT: drain within SHUTDOWN_TIMEOUT_SECONDS whatever the clients do. /readyz turns 503
   * and every response says `Connection: close`; the listener stops accepting and idle keep-alive
   * sockets are closed at once; sockets still open at 60 % of the budget are cut. Then the scheduler
   * stops (the send pass finishes its in-flight messages and hands back unstarted rows), the sender's
   * lanes finish, connections close. Past the budget the process exits anyway: leases cover the rest.
   */
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const budgetMs = config.shutdownTimeoutSeconds * 1000;
    const started = performance.now();
    log.info({ signal, timeoutSeconds: config.shutdownTimeoutSeconds }, 'shutting down');
    services.lifecycle.draining = true;
    const hard = setTimeout(() => {
      log.error(
        { ms: Math.round(performance.now() - started) },
        'shutdown timed out: exiting with work left to the leases',
      );
      log.flush(() => process.exit(1));
      setTimeout(() => process.exit(1), 200).unref();
    }, budgetMs);
    hard.unref();
    if (server) {
      const clean = await closeHttpServer(server as Server, budgetMs * 0.6);
      log.info({ ms: Math.round(performance.now() - started), cutConnections: !clean }, 'http server closed');
    }
    metricsServer?.close();
    // Wake-ups start work too: stop them with the scheduler.
    await wakeLoop?.stop();
    await scheduler?.stop();
    await services.stop();
    await closeDeps(deps);
    log.info({ ms: Math.round(performance.now() - started) }, 'shutdown complete');
    // Log lines are written asynchronously (log.ts): let the last ones out before exiting.
    await new Promise<void>((resolve) => log.flush(() => resolve()));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
