import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

// A send pass stopped mid-batch (SIGTERM → the scheduler aborts its signal): the messages in flight
// finish and are recorded, the claimed rows not yet started go back to the queue at once, their
// attempt refunded (not left for the lease), and the next pass sends them: nothing twice, nothing lost.
let deps: TestDeps;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({ smtpUrl: sink.url });
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

describe('stopping a send pass', () => {
  it('in-flight messages finish, unstarted rows go back refunded, the next pass sends them once', async () => {
    const at = deps.clock.now().toISOString();
    await rows(
      deps.db,
      sql`insert into deliveries (kind, dedupe_key, recipient, recipient_normalized, template_key, locale, variables, bulk, priority, status, next_attempt_at, created_at, updated_at)
          select 'back-in-stock', 'stop:' || i, 's' || i || '@mail.example', 's' || i || '@mail.example', 'back-in-stock', 'en',
            '{"productName":"Stop lamp"}'::jsonb, true, 1, 'queued', ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
          from generate_series(1, 100) i`,
    );
    const controller = new AbortController();
    const pass = deps.services.sender.run({ signal: controller.signal });
    await sink.waitFor(1, 30_000);
    controller.abort();
    const first = await pass;
    expect(first.claimed).toBe(100);
    expect(first.deferred).toBeGreaterThan(0);
    expect(first.sent + first.deferred).toBe(100);
    const back = await rows<{ n: number; attempts: number }>(
      deps.db,
      sql`select count(*)::int as n, max(attempts)::int as attempts from deliveries where dedupe_key like 'stop:%' and status = 'retry'`,
    );
    expect(back[0]).toEqual({ n: first.deferred, attempts: 0 });
    // Due again now, not after a lease.
    const second = await deps.services.sender.run();
    expect(second.sent).toBe(first.deferred);
    const ids = sink.messages.map((m) => m.parsed.messageId);
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
  });
});
