import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { sql } from 'drizzle-orm';
import { createDatabase, rows, type Database, type Db } from './client.js';

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Applies pending SQL migrations from `migrations/`. Both migrators record what ran in
 * `drizzle.__drizzle_migrations`. On PostgreSQL an advisory lock keeps two starting instances
 * from migrating at once. That lock lives on a session, which a transaction pooler does not keep (the
 * unlock would reach another server connection and the lock would stay): with `directUrl`
 * (DATABASE_LISTEN_URL, docs/poolers.md) the migration runs over that direct connection instead.
 */
export async function migrateDatabase(database: Pick<Database, 'db' | 'raw'>, directUrl?: string): Promise<void> {
  if (directUrl && database.raw.kind === 'postgres') {
    // Two connections: one holds the lock, the migrator runs on the other.
    const direct = await createDatabase({ kind: 'postgres', url: directUrl, poolSize: 2 });
    try {
      return await migrateDatabase(direct);
    } finally {
      await direct.close();
    }
  }
  if (database.raw.kind === 'pglite') {
    // The drizzle handles differ in type only; each migrator wants its own driver's. Imported here
    // so PostgreSQL deployments never load PGlite's driver.
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  const reserved = await database.raw.sql.reserve();
  try {
    await reserved`select pg_advisory_lock(72616001)`;
    await migratePostgres(database.db as never, { migrationsFolder });
  } finally {
    await reserved`select pg_advisory_unlock(72616001)`.catch(() => {});
    reserved.release();
  }
}

/** Number of migration files not yet recorded as applied (0 = schema is current). For /readyz. */
export async function pendingMigrations(db: Db, expected: number): Promise<number> {
  const applied = await rows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`).catch(
    () => [{ n: 0 }],
  );
  return Math.max(0, expected - (applied[0]?.n ?? 0));
}

/** How many migrations ship with this build (from drizzle-kit's journal). */
export function migrationCount(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}
