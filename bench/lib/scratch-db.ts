import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDatabase, type Database } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';

export const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';

export type ScratchDb = {
  name: string;
  url: string;
  /** A small pool for the harness's own seeding and checks. */
  database: Database;
  drop(): Promise<void>;
};

/**
 * Every benchmark gets its own freshly created and migrated PostgreSQL database (dropped afterwards),
 * so runs never see each other's rows or bloat.
 */
export async function createScratchDb(baseUrl: string, label: string): Promise<ScratchDb> {
  const name = `rn_bench_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const target = new URL(baseUrl);
  target.pathname = `/${name}`;
  const url = target.toString();
  const database = await createDatabase({ kind: 'postgres', url, poolSize: 4 });
  await migrateDatabase(database);
  return {
    name,
    url,
    database,
    async drop() {
      await database.close().catch(() => {});
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** The server's own `select version()` and the settings that matter for commit-heavy work. */
export async function postgresDetails(baseUrl: string): Promise<Record<string, string>> {
  const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    const [v] = await sql<{ version: string }[]>`select version()`;
    const settings = await sql<{ name: string; setting: string; unit: string | null }[]>`
      select name, setting, unit from pg_settings
      where name in ('max_connections','shared_buffers','synchronous_commit','fsync','wal_level','commit_delay','work_mem','max_wal_size')`;
    const out: Record<string, string> = { version: v?.version ?? '?' };
    for (const s of settings) out[s.name] = s.unit ? `${s.setting} ${s.unit}` : s.setting;
    return out;
  } finally {
    await sql.end();
  }
}
