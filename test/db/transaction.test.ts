import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products } from '../../src/db/schema/index.js';
import { withTx } from '../../src/db/transaction.js';
import { AppError } from '../../src/errors.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';

/**
 * Issue 21 point 1: withTx reads COMMIT's command tag. PostgreSQL's reference page for COMMIT
 * ("Outputs" of the protocol: CommandComplete) and the server's behaviour: a COMMIT issued in a
 * transaction that has failed answers with the tag ROLLBACK ("COMMIT … If the transaction was aborted
 * … the transaction is rolled back", src/backend/tcop/utility.c: `EndTransactionBlock` returning false →
 * "ROLLBACK"). The way to reach it here is the pooler's way: a statement inside the transaction failed
 * and nobody up the stack saw the error (caught and dropped), so the code went on to COMMIT.
 */
const lines: string[] = [];
let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps({ log: createLogger('info', { write: (s: string) => void lines.push(s) }) });
});
afterAll(async () => {
  await deps.close();
});

/** A failing statement whose error is swallowed: the transaction is aborted, the caller carries on. */
const failSilently = (tx: Parameters<Parameters<typeof withTx>[1]>[0]) =>
  tx.execute(sql`select 1 / 0`).then(
    () => undefined,
    () => undefined,
  );

describe('withTx checks that COMMIT committed', () => {
  it('an ordinary transaction commits and returns its value', async () => {
    const v = await withTx(deps.db, async (tx) => {
      await tx
        .insert(products)
        .values({ sku: 'TX-OK', name: 'Committed lamp', quantity: 1, updatedAt: deps.clock.now() });
      return 42;
    });
    expect(v).toBe(42);
    expect(await deps.db.select().from(products).where(eq(products.sku, 'TX-OK'))).toHaveLength(1);
  });

  it('an error thrown inside rolls back and is rethrown as it was', async () => {
    const err = await withTx(deps.db, async (tx) => {
      await tx.insert(products).values({ sku: 'TX-THROW', name: 'Lamp', quantity: 1, updatedAt: deps.clock.now() });
      throw new AppError('CONFLICT', 'no');
    }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('CONFLICT');
    expect(await deps.db.select().from(products).where(eq(products.sku, 'TX-THROW'))).toHaveLength(0);
  });

  it("COMMIT answered ROLLBACK: NOT_READY, never the callback's value, nothing written", async () => {
    const err = await withTx(deps.db, async (tx) => {
      await tx.insert(products).values({ sku: 'TX-LOST', name: 'Lost lamp', quantity: 1, updatedAt: deps.clock.now() });
      await failSilently(tx);
      return 'acknowledged';
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('NOT_READY');
    expect(await deps.db.select().from(products).where(eq(products.sku, 'TX-LOST'))).toHaveLength(0);
  });

  it('over HTTP: a 503 and an error log line, not a 200', async () => {
    const app = createApp(deps, deps.services);
    // A route of the test's own on the real app: its error handler and request frame.
    app.post('/test/aborted-write', async (c) => {
      await withTx(deps.db, async (tx) => {
        await tx.insert(products).values({ sku: 'TX-503', name: 'Lamp', quantity: 1, updatedAt: deps.clock.now() });
        await failSilently(tx);
      });
      return c.json({ saved: true }, 200);
    });
    const before = lines.length;
    const res = await app.request('/test/aborted-write', { method: 'POST' });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_READY');
    expect(await deps.db.select().from(products).where(eq(products.sku, 'TX-503'))).toHaveLength(0);
    const logged = lines.slice(before).map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(logged.some((l) => l.level === 50 && /rolled the change back/.test(l.msg))).toBe(true);
  });
});
