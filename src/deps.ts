import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { createDatabase, type CreateDatabaseOptions, type Database, type Db } from './db/client.js';
import { createLogger, type Logger } from './log.js';
import { createSender, type Sender } from './domain/notifications/sender.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { createRenderer, type Renderer } from './mail/render.js';

/**
 * Everything a verb, route or job may touch. No module holds a database or mailer of its own:
 * tests build their own Deps.
 */
export type Deps = {
  config: Config & { appSecret: string };
  database: Database;
  db: Db;
  mailer: Mailer;
  log: Logger;
  clock: Clock;
  /** One per process: its compile cache is what keeps MJML at one compile per template version. */
  renderer: Renderer;
  /** One per process: runs send passes one at a time (cron, admin route, kicks after a signup). */
  sender: Sender;
};

export type CreateDepsOptions = {
  clock?: Clock;
  log?: Logger;
  mailer?: Mailer;
  database?: CreateDatabaseOptions;
};

export async function createDeps(config: Config & { appSecret: string }, options: CreateDepsOptions = {}): Promise<Deps> {
  const log = options.log ?? createLogger(config.logLevel);
  const database = await createDatabase(config.database, options.database);
  const mailer =
    options.mailer ?? createMailer(config.mail, { from: config.mailFrom, dkim: config.send.dkim });
  const renderer = createRenderer();
  return { config, database, db: database.db, mailer, log, clock: options.clock ?? systemClock, renderer, sender: createSender(renderer) };
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.sender.idle();
  await deps.mailer.close();
  await deps.database.close();
}
