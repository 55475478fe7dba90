import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { onPostgres } from '../helpers/db.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

// The first write of a "sent" outcome fails inside the database itself: on PostgreSQL the trigger
// kills its own connection (pg_terminate_backend(pg_backend_pid()): a real connection drop mid-
// statement); on PGlite (one in-process connection, nothing to kill) it raises a connection-failure
// error. A sequence counts the firings: sequences are not rolled back with the failed transaction.
let deps: TestDeps;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({ smtpUrl: sink.url, env: { DATABASE_POOL_SIZE: '4' } });
  const fail = onPostgres
    ? `perform pg_terminate_backend(pg_backend_pid());`
    : `raise exception 'injected: outcome write failed' using errcode = '08006';`;
  await rows(deps.db, sql.raw(`create sequence outcome_fault_seq`));
  await rows(
    deps.db,
    sql.raw(`create function outcome_fault() returns trigger language plpgsql as $$
      begin
        if nextval('outcome_fault_seq') = 1 then ${fail} end if;
        return new;
      end $$`),
  );
  await rows(
    deps.db,
    sql.raw(`create trigger outcome_fault before update on deliveries for each row
      when (old.status = 'sending' and new.status = 'sent') execute function outcome_fault()`),
  );
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

describe('a failed outcome write', () => {
  it(`${onPostgres ? 'the worker connection killed' : 'an injected connection failure'} during the outcome write: retried, 0 duplicates, nothing left for the lease`, async () => {
    const at = deps.clock.now().toISOString();
    await rows(
      deps.db,
      sql`insert into deliveries (kind, dedupe_key, recipient, recipient_normalized, template_key, locale, variables, bulk, priority, status, next_attempt_at, created_at, updated_at)
          select 'back-in-stock', 'write-fault:' || i, 'w' || i || '@mail.example', 'w' || i || '@mail.example', 'back-in-stock', 'en',
            '{"productName":"Fault lamp"}'::jsonb, true, 1, 'queued', ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
          from generate_series(1, 150) i`,
    );
    const summary = await deps.services.sender.run();
    expect(summary).toMatchObject({ claimed: 150, sent: 150, failed: 0 });
    // The fault fired (the sequence moved past 1 only because the write was tried again).
    const [fired] = await rows<{ n: number }>(deps.db, sql`select last_value::int as n from outcome_fault_seq`);
    expect(fired!.n).toBeGreaterThan(1);
    expect(
      await rows<{ status: string; n: number }>(
        deps.db,
        sql`select status::text, count(*)::int as n from deliveries where dedupe_key like 'write-fault:%' group by 1`,
      ),
    ).toEqual([{ status: 'sent', n: 150 }]);
    // Long after any lease: nothing is due again, so nothing is sent twice.
    deps.clock.advance(3600_000);
    expect(await deps.services.sender.run()).toMatchObject({ claimed: 0 });
    const ids = sink.messages.map((m) => m.parsed.messageId);
    expect(ids).toHaveLength(150);
    expect(new Set(ids).size).toBe(150);
  });
});
