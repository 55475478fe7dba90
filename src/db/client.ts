import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { DatabaseConfig } from '../config.js';
import * as schema from './schema/index.js';

/** The query handle every verb takes. A transaction (`tx`) is assignable to it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** The underlying client, for what only one engine has (a reserved connection, a PGlite dump). */
export type RawClient = { kind: 'postgres'; sql: postgres.Sql } | { kind: 'pglite'; pg: PGlite };

export type Database = {
  kind: 'postgres' | 'pglite';
  db: Db;
  raw: RawClient;
  close(): Promise<void>;
};

/** The client under a drizzle handle (drizzle keeps it as `$client`); `kind` is config.database.kind. */
export function rawClient(db: Db, kind: Database['kind']): RawClient {
  const client = (db as unknown as { $client: unknown }).$client;
  return kind === 'postgres' ? { kind, sql: client as postgres.Sql } : { kind, pg: client as PGlite };
}

/** Closes the pool or PGlite instance under `db`. */
export async function closeDb(db: Db, kind: Database['kind']): Promise<void> {
  const raw = rawClient(db, kind);
  if (raw.kind === 'postgres') await raw.sql.end({ timeout: 5 });
  else await raw.pg.close();
}

export type CreateDatabaseOptions = {
  /** PGlite only: start from a `dumpDataDir()` tarball (tests load a migrated template this way). */
  loadDataDir?: Blob | File;
};

/**
 * Opens PostgreSQL (postgres.js pool) or embedded PGlite, depending on config.
 * PGlite is single-connection: inside a transaction always query through `tx`, never the outer `db`
 * (the outer handle waits for the transaction to end, so it would wait forever).
 */
export async function createDatabase(config: DatabaseConfig, options: CreateDatabaseOptions = {}): Promise<Database> {
  if (config.kind === 'postgres') {
    const sql = postgres(config.url, {
      max: config.poolSize,
      // false behind a transaction pooler (docs/poolers.md): a named statement prepared on one server
      // connection is missing on the next, and postgres.js's retry inside a transaction aborts it.
      prepare: config.prepare ?? true,
      onnotice: () => {},
      // bigint columns come back as JS numbers (ids stay far below 2^53).
      types: { bigint: postgres.BigInt },
    });
    const db = drizzlePostgres(sql, { schema }) as unknown as Db;
    return {
      kind: 'postgres',
      db,
      raw: { kind: 'postgres', sql },
      close: () => sql.end({ timeout: 5 }),
    };
  }
  // Loaded only when used: PGlite and its drizzle driver add ≈55 MB of RSS to every process,
  // which a PostgreSQL deployment (and its 100k-message sender) should not carry.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  let pg: PGlite;
  if (options.loadDataDir) {
    pg = new PGlite({ loadDataDir: options.loadDataDir });
  } else if (config.dir === 'memory://' || config.dir === ':memory:') {
    pg = new PGlite();
  } else {
    mkdirSync(config.dir, { recursive: true });
    pg = new PGlite(config.dir);
  }
  await pg.waitReady;
  const db = drizzlePglite(pg, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    raw: { kind: 'pglite', pg },
    close: () => pg.close(),
  };
}

/**
 * Runs raw SQL on `db` (the root handle or a transaction: always pass the one in use, since on PGlite
 * the root handle blocks inside a transaction) and returns plain rows on both engines: an array
 * (postgres.js returns one, PGlite `{ rows }`), with bigint values as numbers.
 */
export async function rows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  return normalizeRows<T>(await db.execute(query));
}

/**
 * `rows` for a hot statement whose text never changes (its values travel as parameters). On
 * PostgreSQL's pool it runs as a named prepared statement: postgres.js describes an unnamed statement
 * with parameters in a round trip of its own before executing it (drizzle's `execute` never names
 * one), so this halves the round trips and PostgreSQL parses the text once per connection. Anything
 * else (PGlite, a transaction handle, a pool with DATABASE_PREPARED_STATEMENTS=false) takes `rows`.
 */
export async function preparedRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const client = preparingClient(db);
  if (!client) return rows<T>(db, query);
  const { sql: text, params } = renderQuery(db, query);
  return runPrepared<T>(client, text, params);
}

/** The postgres.js pool behind `db` when it may run named prepared statements (not PGlite, a transaction or prepare: false). */
function preparingClient(db: Db): postgres.Sql | undefined {
  const client = (db as unknown as { $client?: Partial<postgres.Sql> }).$client;
  return typeof client?.unsafe === 'function' && client.options?.prepare !== false
    ? (client as postgres.Sql)
    : undefined;
}

/** The SQL text and parameters drizzle sends for `query`. */
function renderQuery(db: Db, query: SQL): { sql: string; params: unknown[] } {
  return (db as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(
    query,
  );
}

async function runPrepared<T>(client: postgres.Sql, text: string, params: unknown[]): Promise<T[]> {
  return normalizeRows<T>(await client.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true }));
}

/**
 * A hot statement whose SQL is built once. `build` is called once with placeholder arguments; every
 * argument must appear in it only as a plain value (`${arg}`), never used to compute one or inside
 * `sql.raw`. Each call then only fills in the arguments — no SQL building, no text rendering — and runs
 * it as `preparedRows` does (a named prepared statement on PostgreSQL's pool; `rows` elsewhere, with
 * `build` called for real).
 * @throws Error on first use when an argument is not used as a plain value.
 */
export function preparedStatement<A extends unknown[], T extends Record<string, unknown>>(
  build: (...args: A) => SQL,
): (db: Db, ...args: A) => Promise<T[]> {
  let compiled: { text: string; params: ({ arg: number } | { value: unknown })[] } | undefined;
  const placeholder = (i: number) => `\u0001arg${i}\u0001`;
  const compile = (db: Db) => {
    const args = Array.from({ length: build.length }, (_, i) => placeholder(i)) as A;
    const { sql: text, params } = renderQuery(db, build(...args));
    if (text.includes('\u0001')) throw new Error('preparedStatement: an argument was rendered into the SQL text');
    return {
      text,
      params: params.map((p) => {
        if (typeof p !== 'string' || !p.includes('\u0001')) return { value: p };
        const arg = /^\u0001arg(\d+)\u0001$/.exec(p);
        if (!arg) throw new Error('preparedStatement: an argument was used to compute a parameter');
        return { arg: Number(arg[1]) };
      }),
    };
  };
  return async (db, ...args) => {
    const client = preparingClient(db);
    if (!client) return rows<T>(db, build(...args));
    compiled ??= compile(db);
    return runPrepared<T>(
      client,
      compiled.text,
      compiled.params.map((p) => ('arg' in p ? args[p.arg] : p.value)),
    );
  };
}

function normalizeRows<T>(result: unknown): T[] {
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row as Record<string, unknown>)) {
      out[k] = typeof v === 'bigint' ? Number(v) : v;
    }
    return out as T;
  });
}
