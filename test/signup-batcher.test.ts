import { rows as dbRows } from '../src/db/client.js';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptions } from '../src/db/schema/index.js';
import { createSignup } from '../src/domain/subscriptions/create-signup.js';
import { isAppError } from '../src/errors.js';
import { createTestDeps, type TestDeps } from './helpers/deps.js';
import { addProduct, uniqueEmail } from './helpers/signup-fixtures.js';

// Group commit of signups: concurrent signups share one INSERT and one commit, and a bad signup
// never takes the others down with it.
let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps({ env: { SIGNUP_RATE_LIMIT_PER_IP: '0', SIGNUP_RATE_LIMIT_PER_EMAIL: '0' } });
});
afterAll(() => deps.close());

const outcome = (p: Promise<unknown>) =>
  p.then(
    (r) => ({ ok: true as const, r: r as Awaited<ReturnType<typeof createSignup>> }),
    (e: unknown) => ({ ok: false as const, code: isAppError(e) ? e.code : String(e) }),
  );

describe('signup group commit', () => {
  it('100 concurrent new signups → 100 committed rows, each answered with its own row, in fewer batches', async () => {
    const { sku } = await addProduct(deps);
    const emails = Array.from({ length: 100 }, () => uniqueEmail('batch'));
    const before = { ...deps.runtime.signups.stats };
    const results = await Promise.all(emails.map((email) => createSignup(deps, { email, sku }, deps.runtime.signupPorts)));
    const after = deps.runtime.signups.stats;

    expect(results.map((r) => r.outcome)).toEqual(emails.map(() => 'created'));
    expect(results.map((r) => r.subscription.emailNormalized)).toEqual(emails);
    expect(new Set(results.map((r) => r.subscription.id)).size).toBe(100);
    const rows = await deps.db.select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.sku, sku));
    expect(rows).toHaveLength(100);
    expect(after.items - before.items).toBe(100);
    expect(after.batches - before.batches).toBeLessThan(100);
  });

  it('unknown and in-stock SKUs in the same batch fail alone; duplicates in one batch → one row', async () => {
    const { sku } = await addProduct(deps);
    const inStock = await addProduct(deps, { quantity: 5 });
    const dup = uniqueEmail('dup');
    const good = [uniqueEmail('ok'), uniqueEmail('ok')];
    const results = await Promise.all([
      outcome(createSignup(deps, { email: good[0] as string, sku }, deps.runtime.signupPorts)),
      outcome(createSignup(deps, { email: uniqueEmail('x'), sku: 'NO-SUCH-SKU' }, deps.runtime.signupPorts)),
      outcome(createSignup(deps, { email: uniqueEmail('y'), sku: inStock.sku }, deps.runtime.signupPorts)),
      outcome(createSignup(deps, { email: dup, sku }, deps.runtime.signupPorts)),
      outcome(createSignup(deps, { email: dup.toUpperCase(), sku }, deps.runtime.signupPorts)),
      outcome(createSignup(deps, { email: good[1] as string, sku }, deps.runtime.signupPorts)),
    ]);
    expect(results.map((r) => (r.ok ? r.r.outcome : r.code))).toEqual(['created', 'UNKNOWN_SKU', 'IN_STOCK', 'created', 'existing', 'created']);
    const [a, , , d1, d2] = results;
    expect(d1?.ok && d2?.ok && d1.r.subscription.id === d2.r.subscription.id).toBe(true);
    expect(a?.ok).toBe(true);
    const rows = await deps.db.select().from(subscriptions).where(eq(subscriptions.sku, sku));
    expect(rows.map((r) => r.emailNormalized).sort()).toEqual([...good, dup].sort());
  });

  it('a row the database refuses fails only its own signup: the batch falls back to one-by-one', async () => {
    const { sku } = await addProduct(deps);
    // A real database refusal (no mock): a trigger rejects one address, which fails the whole
    // multi-row INSERT; the others must still be created.
    await dbRows(deps.db, sql`
      create or replace function reject_poison() returns trigger language plpgsql as $$
      begin
        if new.email like 'poison-%' then raise exception 'refused by test trigger'; end if;
        return new;
      end $$`);
    await dbRows(deps.db, sql`create trigger reject_poison before insert on subscriptions for each row execute function reject_poison()`);
    try {
      const emails = [uniqueEmail('fine'), uniqueEmail('poison'), uniqueEmail('fine')];
      const results = await Promise.all(emails.map((email) => outcome(createSignup(deps, { email, sku }, deps.runtime.signupPorts))));
      expect(results.map((r) => r.ok)).toEqual([true, false, true]);
      const rows = await deps.db.select().from(subscriptions).where(inArray(subscriptions.emailNormalized, emails));
      expect(rows.map((r) => r.emailNormalized).sort()).toEqual([emails[0], emails[2]].sort());
    } finally {
      await dbRows(deps.db, sql`drop trigger reject_poison on subscriptions`);
    }
  });
});
