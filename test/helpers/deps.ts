import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { rawClient, type RawClient } from '../../src/db/client.js';
import { closeDeps, createDeps, type Deps } from '../../src/deps.js';
import type { Logger } from '../../src/log.js';
import { seedTemplates } from '../../src/domain/templates/seed-templates.js';
import { createServices, type Services } from '../../src/services.js';
import type { Outbox } from '../../src/ledger/outbox.js';
import { prepareTestDatabase } from './db.js';

/** Deps as main.ts builds them, plus what tests reach for: the manual clock, the services, the raw client. */
export type TestDeps = Deps & {
  clock: ManualClock;
  services: Services;
  /** `services.outbox.deliveries`, so a test may pass these deps as the ctx of a verb that queues. */
  outbox: Outbox;
  raw: RawClient;
  close(): Promise<void>;
};

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnop';
export const INVENTORY_TOKEN = 'inventory-token-123';
export const ADMIN_TOKEN = 'admin-token-12345';
export const MARKETING_TOKEN = 'marketing-token-123';

/**
 * Deps and services for one test file, built by `createDeps` / `createServices` like main.ts: a fresh
 * database, a manual clock, a silent logger, and either the capture transport into a temp dir or
 * SMTP to `smtpUrl` (an in-process sink); templates seeded. `env` overrides config.
 */
export async function createTestDeps(
  options: { env?: Record<string, string>; smtpUrl?: string; log?: Logger } = {},
): Promise<TestDeps> {
  const mailbox = await mkdtemp(join(tmpdir(), 'rn-mailbox-'));
  const base = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PUBLIC_BASE_URL: 'https://shop.example',
    MAILBOX_DIR: mailbox,
    API_TOKENS: `inventory:${INVENTORY_TOKEN},admin:${ADMIN_TOKEN},marketing:${MARKETING_TOKEN}`,
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  });
  const spec = await prepareTestDatabase();
  const config: Config & { appSecret: string } = { ...base, appSecret: TEST_SECRET, database: spec.config };
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  const deps = await createDeps(config, { clock, database: spec.options, log: options.log });
  const services = createServices(deps);
  // As main.ts does at start-up: the sender only sends, it does not seed.
  await seedTemplates({ ...deps, renderer: services.renderer });
  return {
    ...deps,
    clock,
    services,
    outbox: services.outbox.deliveries,
    raw: rawClient(deps.db, config.database.kind),
    async close() {
      await services.stop();
      await closeDeps(deps);
      await spec.drop();
    },
  };
}
