import { rows as dbRows } from '../../../src/db/client.js';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptions, suppressions } from '../../../src/db/schema/index.js';
import { createSignup } from '../../../src/domain/subscriptions/create-signup.js';
import type { Deps } from '../../../src/deps.js';
import { validateEmail } from '../../../src/mail/address.js';
import { decideSignup } from '../../../src/domain/subscriptions/decide-signup.js';
import { isAppError } from '../../../src/errors.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { uniqueEmail } from '../../helpers/signup-fixtures.js';
import { createProduct } from '../../helpers/factories.js';

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

/** The production entry as the routes call it: the address validated first, the process's signup ports. */
const signUp = async (d: Deps, email: string, sku: string) =>
  createSignup(
    { ...d, signups: deps.services.signupPorts, outbox: deps.services.outbox.deliveries },
    { ...validateEmail(email, { allowIpLiteral: false }), sku },
  );

describe('signup group commit', () => {
  it('100 concurrent new signups → 100 committed rows, each answered with its own row, in fewer batches', async () => {
    const { sku } = await createProduct(deps);
    const emails = Array.from({ length: 100 }, () => uniqueEmail('batch'));
    const before = { ...deps.services.signups.stats };
    const results = await Promise.all(emails.map((email) => signUp(deps, email, sku)));
    const after = deps.services.signups.stats;

    expect(results.map((r) => r.outcome)).toEqual(emails.map(() => 'created'));
    expect(results.map((r) => r.subscription.emailNormalized)).toEqual(emails);
    expect(new Set(results.map((r) => r.subscription.id)).size).toBe(100);
    const rows = await deps.db.select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.sku, sku));
    expect(rows).toHaveLength(100);
    expect(after.items - before.items).toBe(100);
    expect(after.batches - before.batches).toBeLessThan(100);
  });

  it('unknown and in-stock SKUs in the same batch fail alone; duplicates in one batch → one row', async () => {
    const { sku } = await createProduct(deps);
    const inStock = await createProduct(deps, { quantity: 5 });
    const dup = uniqueEmail('dup');
    const good = [uniqueEmail('ok'), uniqueEmail('ok')];
    const results = await Promise.all([
      outcome(signUp(deps, good[0] as string, sku)),
      outcome(signUp(deps, uniqueEmail('x'), 'NO-SUCH-SKU')),
      outcome(signUp(deps, uniqueEmail('y'), inStock.sku)),
      outcome(signUp(deps, dup, sku)),
      outcome(signUp(deps, dup.toUpperCase(), sku)),
      outcome(signUp(deps, good[1] as string, sku)),
    ]);
    expect(results.map((r) => (r.ok ? r.r.outcome : r.code))).toEqual([
      'created',
      'UNKNOWN_SKU',
      'IN_STOCK',
      'created',
      'existing',
      'created',
    ]);
    const [a, , , d1, d2] = results;
    expect(d1?.ok && d2?.ok && d1.r.subscription.id === d2.r.subscription.id).toBe(true);
    expect(a?.ok).toBe(true);
    const rows = await deps.db.select().from(subscriptions).where(eq(subscriptions.sku, sku));
    expect(rows.map((r) => r.emailNormalized).sort()).toEqual([...good, dup].sort());
  });

  it('a row the database refuses fails only its own signup: the batch falls back to one-by-one', async () => {
    const { sku } = await createProduct(deps);
    // A real database refusal (no mock): a trigger rejects one address, which fails the whole
    // multi-row INSERT; the others must still be created.
    await dbRows(
      deps.db,
      sql`
      create or replace function reject_poison() returns trigger language plpgsql as $$
      begin
        if new.email like 'poison-%' then raise exception 'refused by test trigger'; end if;
        return new;
      end $$`,
    );
    await dbRows(
      deps.db,
      sql`create trigger reject_poison before insert on subscriptions for each row execute function reject_poison()`,
    );
    try {
      const emails = [uniqueEmail('fine'), uniqueEmail('poison'), uniqueEmail('fine')];
      const results = await Promise.all(emails.map((email) => outcome(signUp(deps, email, sku))));
      expect(results.map((r) => r.ok)).toEqual([true, false, true]);
      const rows = await deps.db.select().from(subscriptions).where(inArray(subscriptions.emailNormalized, emails));
      expect(rows.map((r) => r.emailNormalized).sort()).toEqual([emails[0], emails[2]].sort());
    } finally {
      await dbRows(deps.db, sql`drop trigger reject_poison on subscriptions`);
    }
  });

  it('one batch follows decideSignup for every mix of double opt-in and suppression; a suppressed address must confirm', async () => {
    const { sku, name } = await createProduct(deps);
    const off = { ...deps, config: { ...deps.config, signup: { ...deps.config.signup, doubleOptIn: false } } };
    const suppressedOn = uniqueEmail('supp-on');
    const suppressedOff = uniqueEmail('supp-off');
    await deps.db.insert(suppressions).values([
      { email: suppressedOn, reason: 'unsubscribed' },
      { email: suppressedOff, reason: 'hard-bounce' },
    ]);
    const cases = [
      { d: deps, email: uniqueEmail('on'), suppressed: false },
      { d: off, email: uniqueEmail('off'), suppressed: false },
      { d: deps, email: suppressedOn, suppressed: true },
      { d: off, email: suppressedOff, suppressed: true },
    ];
    const results = await Promise.all(cases.map((c) => signUp(c.d, c.email, sku)));
    cases.forEach((c, i) => {
      const expected = decideSignup(sku, { name, quantity: 0 }, c.suppressed, undefined, {
        doubleOptIn: c.d.config.signup.doubleOptIn,
        minQuantity: c.d.config.restock.minQuantity,
      });
      if (expected.action === 'keep') throw new Error('a new row is never kept');
      expect({
        email: c.email,
        status: results[i]?.subscription.status,
        confirm: results[i]?.confirmationQueued,
      }).toEqual({ email: c.email, status: expected.status, confirm: expected.needsConfirmation });
      expect(results[i]?.outcome).toBe('created');
    });
    // Exactly the pending ones have a confirmation on the ledger, with the product's name filled in.
    const queued = await dbRows<{ recipient_normalized: string; product: string }>(
      deps.db,
      sql`select recipient_normalized, variables->>'productName' as product from deliveries where kind = 'confirmation' and recipient_normalized in (${sql.join(
        cases.map((c) => sql`${c.email}`),
        sql`, `,
      )})`,
    );
    expect(queued.map((q) => q.recipient_normalized).sort()).toEqual(
      cases
        .filter((_, i) => results[i]?.subscription.status === 'pending')
        .map((c) => c.email)
        .sort(),
    );
    expect(new Set(queued.map((q) => q.product))).toEqual(new Set([name]));
  });
});
