import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows as dbRows } from '../../src/db/client.js';
import { planRestockWaves } from '../../src/domain/waves/plan-restock-waves.js';
import { onPostgres } from '../helpers/db.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { createProduct, createRestockEvent, createSubscribers } from '../helpers/factories.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

/**
 * A send pass overlaps the planner (src/jobs/send.ts): the sender claims while a wave is being queued
 * and ends only when the producer is done and a claim comes back empty. On PostgreSQL a claim sees the
 * rows committed before its statement began, nothing later — so a wave committed *while* an empty claim
 * ran must not end the pass. CI once saw exactly that (two senders racing: 60 queued, 0 sent). Here the
 * claim is held open deterministically: a statement-level trigger sleeps inside the first UPDATE of
 * `deliveries` (after the statement's snapshot was taken), and the wave is planned and committed while
 * it sleeps.
 */
let deps: TestDeps;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({ smtpUrl: sink.url, env: { NOTIFY_PER_UNIT: '0' } });
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

describe.skipIf(!onPostgres)('a wave committed while an empty claim runs (PostgreSQL)', () => {
  it('is sent by the same pass', async () => {
    if (deps.raw.kind !== 'postgres') throw new Error('PostgreSQL only');
    await deps.raw.sql.unsafe(`
      create table claim_stall (armed boolean not null);
      insert into claim_stall values (true);
      create function stall_first_claim() returns trigger language plpgsql as $$
      begin
        update claim_stall set armed = false where armed;
        if found then perform pg_sleep(2); end if;
        return null;
      end $$;
      create trigger stall_first_claim before update on deliveries
        for each statement execute function stall_first_claim();`);

    const { sku } = await createProduct(deps, { quantity: 0 });
    const subs = await createSubscribers(deps, sku, 12);
    await createRestockEvent(deps, sku, 12);

    // Sessions of this database sleeping in the trigger (the held claim).
    const sleeping = async () =>
      (
        await dbRows<{ n: number }>(
          deps.db,
          sql`select count(*)::int as n from pg_stat_activity where wait_event = 'PgSleep' and datname = current_database()`,
        )
      )[0]!.n > 0;
    let committedDuringClaim = false;
    const producing = (async () => {
      // Wait until the sender's first claim sleeps in the trigger, then queue the wave and commit.
      const deadline = Date.now() + 10_000;
      while (!(await sleeping())) {
        if (Date.now() > deadline) throw new Error('the first claim never reached the trigger');
        await new Promise((r) => setTimeout(r, 10));
      }
      const planned = await planRestockWaves(deps);
      committedDuringClaim = await sleeping();
      return planned;
    })();

    const summary = await deps.services.sender.run({ producing });
    expect((await producing).queued).toBe(12);
    // The set-up held: the wave's rows were committed while the first (empty) claim was still running.
    expect(committedDuringClaim).toBe(true);
    expect(summary).toMatchObject({ sent: 12, deferred: 0, retried: 0 });
    const got = sink.messages.filter((m) => subs.some((s) => m.envelopeTo.includes(s.email)));
    expect(got).toHaveLength(12);
  });
});
