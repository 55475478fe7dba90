import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { inject } from 'vitest';
import type { DatabaseConfig } from '../../src/config.js';
import { createDatabase, type CreateDatabaseOptions, type Database } from '../../src/db/client.js';

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * The CI's pooler run (docs/poolers.md): TEST_DATABASE_URL points at PgBouncer in transaction mode,
 * TEST_DATABASE_DIRECT_URL at PostgreSQL itself (databases are created and LISTENed to there), and
 * TEST_DATABASE_PREPARED_STATEMENTS=false. `withDatabase` turns a database name into both URLs.
 */
const directUrl = process.env.TEST_DATABASE_DIRECT_URL;
const testPrepare = process.env.TEST_DATABASE_PREPARED_STATEMENTS !== 'false';

/** `url` with its database name replaced. */
function withDatabase(url: string, name: string): string {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/** The service's database settings for a test database at `url` (a child process's environment). */
export function databaseEnv(url: string): Record<string, string> {
  const name = new URL(url).pathname.slice(1);
  return {
    DATABASE_URL: url,
    ...(testPrepare ? {} : { DATABASE_PREPARED_STATEMENTS: 'false' }),
    ...(directUrl ? { DATABASE_LISTEN_URL: withDatabase(directUrl, name) } : {}),
  };
}

/**
 * Where one test file's fresh, migrated database lives: a clone of the run's template database on
 * PostgreSQL (`drop()` removes it), or the migrated PGlite dump to load (`options`). Pass config and
 * options to `createDeps` / `createDatabase`.
 */
export type TestDatabaseSpec = {
  config: DatabaseConfig;
  options: CreateDatabaseOptions;
  url?: string;
  drop(): Promise<void>;
};

export async function prepareTestDatabase(): Promise<TestDatabaseSpec> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `rn_test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(directUrl ?? url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${inject('pgTemplate')}`);
    const config: DatabaseConfig = {
      kind: 'postgres',
      url: withDatabase(url, name),
      poolSize: 10,
      prepare: testPrepare,
      ...(directUrl ? { listenUrl: withDatabase(directUrl, name) } : {}),
    };
    return {
      config,
      options: {},
      url: config.url,
      async drop() {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dump = await readFile(inject('pgliteDump') as string);
  return {
    config: { kind: 'pglite', dir: 'memory://' },
    options: { loadDataDir: new Blob([dump]) },
    drop: async () => {},
  };
}

export type TestDatabase = Database & { config: DatabaseConfig; url?: string };

/** A fresh, migrated database opened on its own (for tests that need a handle outside Deps). `close()` drops it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const spec = await prepareTestDatabase();
  const database = await createDatabase(spec.config, spec.options);
  return {
    ...database,
    config: spec.config,
    url: spec.url,
    async close() {
      await database.close();
      await spec.drop();
    },
  };
}
