import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { inject } from 'vitest';
import type { DatabaseConfig } from '../../src/config.js';
import { createDatabase, type Database } from '../../src/db/client.js';

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

export type TestDatabase = Database & { config: DatabaseConfig; url?: string };

/**
 * A fresh, migrated database for one test file: a clone of the run's template database on
 * PostgreSQL, or a PGlite instance loaded from the migrated dump. `close()` drops it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `rn_test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${inject('pgTemplate')}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const config: DatabaseConfig = { kind: 'postgres', url: target.toString(), poolSize: 10 };
    const database = await createDatabase(config);
    return {
      ...database,
      config,
      url: config.url,
      async close() {
        await database.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dump = await readFile(inject('pgliteDump') as string);
  const config: DatabaseConfig = { kind: 'pglite', dir: 'memory://' };
  const database = await createDatabase(config, { loadDataDir: new Blob([dump]) });
  return { ...database, config };
}
