import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { closeDb, createDatabase, type CreateDatabaseOptions, type Db } from './db/client.js';
import { createLogger, type Logger } from './log.js';
import { createMailer, type Mailer } from './mail/mailer.js';

/**
 * Everything a verb, route or job may touch: configuration and the process's connections. No module
 * holds a database or mailer of its own: tests build their own Deps (through `createDeps`). Process
 * state and ports (sender lanes, send gate, group commit, compile cache, outboxes) are built by
 * `createServices` (src/services.ts).
 */
export type Deps = {
  config: Config & { appSecret: string };
  db: Db;
  mailer: Mailer;
  log: Logger;
  clock: Clock;
};

export type CreateDepsOptions = {
  clock?: Clock;
  log?: Logger;
  mailer?: Mailer;
  database?: CreateDatabaseOptions;
};

export async function createDeps(
  config: Config & { appSecret: string },
  options: CreateDepsOptions = {},
): Promise<Deps> {
  const log = options.log ?? createLogger(config.logLevel);
  const database = await createDatabase(config.database, options.database);
  const mailer = options.mailer ?? createMailer(config.mail, { from: config.mailFrom, dkim: config.send.dkim });
  return { config, db: database.db, mailer, log, clock: options.clock ?? systemClock };
}

/** Closes the mailer and the database client (stop the services first: they may still be sending). */
export async function closeDeps(deps: Deps): Promise<void> {
  await deps.mailer.close();
  await closeDb(deps.db, deps.config.database.kind);
}
