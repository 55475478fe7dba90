import { inArray } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { products } from '../../src/db/schema/index.js';
import { closeDeps, createDeps, type Deps } from '../../src/deps.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { createServices } from '../../src/services.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.js';
import { INVENTORY_TOKEN, TEST_SECRET } from '../helpers/deps.js';
import { havePgBouncer, startPgBouncer, type PgBouncer } from '../helpers/pgbouncer.js';

/**
 * Issue 21 finding 1, reproduced with a real PgBouncer 1.18 in transaction pooling: concurrent
 * `PUT /api/v1/inventory/{sku}` through it. An answer 200 must mean a row; anything the database
 * rolled back must be a 503 (never 200 "created" without a row). With DATABASE_PREPARED_STATEMENTS=false
 * (docs/poolers.md) every write goes through.
 */
const run = onPostgres && havePgBouncer && !process.env.TEST_DATABASE_DIRECT_URL;
let db: TestDatabase;
let bouncer: PgBouncer;
beforeAll(async () => {
  if (!run) return;
  db = await createTestDatabase();
  bouncer = await startPgBouncer(db.url!);
});
afterAll(async () => {
  if (!run) return;
  await bouncer?.stop();
  await db?.close();
});

async function appThroughBouncer(prepare: boolean, lines: string[]) {
  const name = new URL(db.url!).pathname.slice(1);
  const base = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_BASE_URL: 'https://shop.example',
    API_TOKENS: `inventory:${INVENTORY_TOKEN}`,
  });
  const config: Config & { appSecret: string } = {
    ...base,
    appSecret: TEST_SECRET,
    database: { kind: 'postgres', url: bouncer.url(name), poolSize: 10, prepare },
  };
  const deps: Deps = await createDeps(config, {
    log: createLogger('info', { write: (s: string) => void lines.push(s) }),
  });
  const runtime = createServices(deps);
  return { deps, app: createApp(deps, runtime), close: async () => (await runtime.stop(), await closeDeps(deps)) };
}

async function putMany(app: ReturnType<typeof createApp>, tag: string, n: number) {
  const skus = Array.from({ length: n }, (_, i) => `PGB-${tag}-${i}`);
  const answers = await Promise.all(
    skus.map((sku) =>
      app.request(`/api/v1/inventory/${sku}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ quantity: 3, name: `Lamp ${sku}` }),
      }),
    ),
  );
  const stored = new Set(
    (await db.db.select({ sku: products.sku }).from(products).where(inArray(products.sku, skus))).map((r) => r.sku),
  );
  return skus.map((sku, i) => ({ sku, status: answers[i]!.status, stored: stored.has(sku) }));
}

describe.runIf(run)('behind PgBouncer 1.18 in transaction pooling', () => {
  // Before issue 21 this lost 36 of 60 writes here (200 "created", no row): postgres.js's `sql.begin`
  // gave its connection back to the pool mid-transaction. withTx now owns BEGIN/COMMIT on a reserved
  // connection and reads COMMIT's tag.
  it('with prepared statements (the pooler cannot keep them): every 200 has its row; losses are 503s', async () => {
    const lines: string[] = [];
    const { app, close } = await appThroughBouncer(true, lines);
    try {
      const results = [] as Awaited<ReturnType<typeof putMany>>;
      for (let round = 0; round < 3; round++) results.push(...(await putMany(app, `P${round}`, 20)));
      const acknowledgedButLost = results.filter((r) => r.status === 200 && !r.stored);
      expect(acknowledgedButLost).toEqual([]);
      for (const r of results) expect([200, 500, 503]).toContain(r.status);
      console.log('prepare=true through pgbouncer:', JSON.stringify(count(results)));
    } finally {
      await close();
    }
  });

  it('DATABASE_PREPARED_STATEMENTS=false: every write answers 200 and is stored', async () => {
    const lines: string[] = [];
    const { app, close } = await appThroughBouncer(false, lines);
    try {
      const results = [] as Awaited<ReturnType<typeof putMany>>;
      for (let round = 0; round < 3; round++) results.push(...(await putMany(app, `U${round}`, 20)));
      expect(results.filter((r) => r.status !== 200 || !r.stored)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the pooler really pools per transaction (two transactions may meet different server sessions)', async () => {
    const name = new URL(db.url!).pathname.slice(1);
    const sql = postgres(bouncer.url(name), { max: 4, prepare: false, onnotice: () => {} });
    try {
      const pids = new Set(
        (
          await Promise.all(
            Array.from({ length: 8 }, () => sql<{ pid: number }[]>`select pg_backend_pid() as pid, pg_sleep(0.05)`),
          )
        ).map((r) => r[0]!.pid),
      );
      expect(pids.size).toBeGreaterThan(1);
    } finally {
      await sql.end();
    }
  });
});

function count(results: { status: number; stored: boolean }[]) {
  const out: Record<string, number> = {};
  for (const r of results)
    out[`${r.status}${r.stored ? '+row' : ''}`] = (out[`${r.status}${r.stored ? '+row' : ''}`] ?? 0) + 1;
  return out;
}
