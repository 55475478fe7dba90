import { serve } from '@hono/node-server';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { closeDeps, createDeps } from './deps.js';
import { rawClient } from './db/client.js';
import { productsEmpty, seedDemoProducts } from './db/demo-products.js';
import { migrateDatabase } from './db/migrate.js';
import { createApp } from './http/app.js';
import { NO_TOKENS_MESSAGE } from './http/auth.js';
import { closeHttpServer } from './http/drain.js';
import type { Server } from 'node:http';
import { scheduledJobs } from './jobs/index.js';
import { startScheduler } from './jobs/scheduler.js';
import { createRuntime } from './runtime/index.js';
import { seedTemplates } from './domain/templates/seed-templates.js';
import { ensureAppSecret } from './secret.js';
import { serverOptions } from './http/server-timeouts.js';
import { createMetrics } from './metrics/metrics.js';
import { observeJobs } from './metrics/observe-jobs.js';
import { observeMailer } from './metrics/observe-mailer.js';

/** Composition root: config → deps → migrate → HTTP app and/or scheduler; SIGTERM → graceful stop. */
async function main(): Promise<void> {
  let config;
  try {
    config = ensureAppSecret(loadConfig(process.env), join('data', 'app-secret'));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const deps = await createDeps(config);
  const { log } = deps;
  if (config.apiTokens.length === 0) log.warn(NO_TOKENS_MESSAGE);
  await migrateDatabase({ db: deps.db, raw: rawClient(deps.db, config.database.kind) });
  log.info({ database: config.database.kind, mail: config.mail.kind, role: config.role }, 'migrations applied');
  // Templates from templates/ become published versions (or drafts, after console edits); see seed-templates.ts.
  const metrics = createMetrics({ processMetrics: true });
  deps.mailer = observeMailer(deps.mailer, metrics);
  const runtime = createRuntime(deps, { metrics });
  await seedTemplates(deps, runtime.renderer);
  // A fresh embedded dev install gets the demo catalogue, so `npm start` alone is enough to try a signup.
  if (config.env === 'development' && config.database.kind === 'pglite' && (await productsEmpty(deps.db))) {
    log.info({ skus: await seedDemoProducts(deps.db) }, 'empty products table: demo products seeded (npm run seed)');
  }

  const server =
    config.role === 'worker'
      ? undefined
      : serve({ fetch: createApp(deps, runtime).fetch, port: config.port, hostname: config.host, serverOptions: serverOptions() }, (info) => {
          const url = `http://localhost:${info.port}`;
          log.info({ url, publicBaseUrl: config.publicBaseUrl }, `restock-notifier listening on ${url}`);
          if (process.stdout.isTTY) console.log(`\n  restock-notifier is running: ${url}  (API reference: ${url}/docs)\n`);
        });
  const scheduler = config.role === 'web' ? undefined : startScheduler(deps, runtime, observeJobs(scheduledJobs(config), metrics));

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
    runtime.lifecycle.draining = true;
    const hard = setTimeout(() => {
      log.error({ ms: Math.round(performance.now() - started) }, 'shutdown timed out: exiting with work left to the leases');
      log.flush(() => process.exit(1));
      setTimeout(() => process.exit(1), 200).unref();
    }, budgetMs);
    hard.unref();
    if (server) {
      const clean = await closeHttpServer(server as Server, budgetMs * 0.6);
      log.info({ ms: Math.round(performance.now() - started), cutConnections: !clean }, 'http server closed');
    }
    await scheduler?.stop();
    await runtime.stop();
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
