import { rows as dbRows } from '../../src/db/client.js';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.js';
import { migrateDatabase, migrationCount } from '../../src/db/migrate.js';
import { createApp } from '../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { onPostgres } from '../helpers/db.js';

/**
 * Migrations from an EMPTY database (not the migrated template the other files clone), on the engine
 * of this run: PGlite by default, PostgreSQL 15 with TEST_DATABASE_URL.
 */
let deps: TestDeps;
let empty: Database;
let dropEmpty: () => Promise<void> = async () => {};
beforeAll(async () => {
  deps = await createTestDeps();
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `rn_migrations_${randomBytes(4).toString('hex')}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    empty = await createDatabase({ kind: 'postgres', url: target.toString(), poolSize: 4 });
    dropEmpty = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    empty = await createDatabase({ kind: 'pglite', dir: 'memory://' });
  }
});
afterAll(async () => {
  await empty.close();
  await dropEmpty();
  await deps.close();
});

const applied = async (db: Database) =>
  (await dbRows<{ n: number }>(db.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0]?.n;
const tables = async (db: Database) =>
  (
    await dbRows<{ name: string }>(
      db.db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public'`,
    )
  ).map((r) => r.name);

describe(`migrations (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('an empty database is not ready; migrating makes it ready; migrating again is a no-op', async () => {
    const app = createApp({ ...deps, db: empty.db }, deps.services);
    const before = await app.request('/readyz');
    expect(before.status).toBe(503);
    expect(((await before.json()) as { pendingMigrations: number }).pendingMigrations).toBe(migrationCount());

    await migrateDatabase(empty);
    expect(await applied(empty)).toBe(migrationCount());
    expect(await tables(empty)).toEqual(expect.arrayContaining(['products', 'subscriptions', 'suppressions']));

    await migrateDatabase(empty);
    expect(await applied(empty)).toBe(migrationCount());
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: true, pendingMigrations: 0, draining: false });
  });

  it.skipIf(!onPostgres)('two instances migrating at once: the advisory lock serializes them', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL ?? '');
    const name = `rn_migrations_race_${randomBytes(4).toString('hex')}`;
    const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    url.pathname = `/${name}`;
    const a = await createDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
    const b = await createDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
    try {
      await Promise.all([migrateDatabase(a), migrateDatabase(b)]);
      expect(await applied(a)).toBe(migrationCount());
    } finally {
      await a.close();
      await b.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
