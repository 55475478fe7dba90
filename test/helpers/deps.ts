import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Deps } from '../../src/deps.js';
import { createLogger } from '../../src/log.js';
import { createSender } from '../../src/domain/notifications/sender.js';
import { createMailer } from '../../src/mail/mailer.js';
import { createRenderer } from '../../src/mail/render.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export type TestDeps = Deps & { clock: ManualClock; database: TestDatabase; close(): Promise<void> };

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnop';
export const INVENTORY_TOKEN = 'inventory-token-123';
export const ADMIN_TOKEN = 'admin-token-12345';
export const MARKETING_TOKEN = 'marketing-token-123';

/**
 * Deps for one test file: a fresh database, a manual clock, a silent logger, and either the capture
 * transport into a temp dir or SMTP to `smtpUrl` (an in-process sink). `env` overrides config.
 */
export async function createTestDeps(options: { env?: Record<string, string>; smtpUrl?: string } = {}): Promise<TestDeps> {
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
  const database = await createTestDatabase();
  const config: Config & { appSecret: string } = { ...base, appSecret: TEST_SECRET, database: database.config };
  const mailer = createMailer(config.mail, { from: config.mailFrom, dkim: config.send.dkim });
  const renderer = createRenderer();
  const deps: TestDeps = {
    config,
    database,
    db: database.db,
    mailer,
    log: createLogger(config.logLevel),
    clock: new ManualClock('2026-03-01T12:00:00Z'),
    renderer,
    sender: createSender(renderer),
    async close() {
      await deps.sender.idle();
      await mailer.close();
      await database.close();
    },
  };
  return deps;
}
