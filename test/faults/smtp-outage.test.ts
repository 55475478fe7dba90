import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { createServices, type Services } from '../../src/services.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

// The SMTP server is really down (nothing listens on its port: ECONNREFUSED) for longer than the old
// retry budget (RETRY_MAX_ATTEMPTS=3 with 60 s backoff: about 3 minutes), then comes back on the same
// port. Time moves on the manual clock, the breaker's pauses included (it reads the injected clock).
let deps: TestDeps;
let services: Services;
let port: number;
let sink: SmtpSink | undefined;
beforeAll(async () => {
  const probe = await startSmtpSink();
  port = probe.port;
  await probe.close();
  deps = await createTestDeps({
    smtpUrl: `smtp://127.0.0.1:${port}`,
    env: { RETRY_BASE_SECONDS: '60', RETRY_MAX_ATTEMPTS: '3', DELIVERY_MAX_AGE_HOURS: '72' },
  });
  services = createServices(deps, { breaker: { baseMs: 20, maxMs: 80 } });
});
afterAll(async () => {
  await services?.stop();
  await deps?.close();
  await sink?.close();
});

async function queue(prefix: string, n: number): Promise<void> {
  const at = deps.clock.now().toISOString();
  await rows(
    deps.db,
    sql`insert into deliveries (kind, dedupe_key, recipient, recipient_normalized, template_key, locale, variables, bulk, priority, status, next_attempt_at, created_at, updated_at)
        select 'back-in-stock', ${prefix} || ':' || i, ${prefix} || i || '@mail.example', ${prefix} || i || '@mail.example', 'back-in-stock', 'en',
          '{"productName":"Outage lamp"}'::jsonb, true, 1, 'queued', ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
        from generate_series(1, ${n}) i`,
  );
}

const ledger = (prefix: string) =>
  rows<{ status: string; attempts: number; n: number }>(
    deps.db,
    sql`select status::text, attempts, count(*)::int as n from deliveries where dedupe_key like ${`${prefix}:%`} group by 1, 2 order by 1, 2`,
  );

/** One scheduler tick, `advanceMs` later (and at least past the breaker's pause: it may probe again). */
async function tick(advanceMs: number) {
  deps.clock.advance(Math.max(advanceMs, services.sender.breaker.retryInMs()));
  expect(services.sender.breaker.paused()).toBe(false);
  return services.sender.run();
}

describe('SMTP outage', () => {
  it('a row still unsent after DELIVERY_MAX_AGE_HOURS fails by age, without a send', async () => {
    await queue('expire', 5);
    await tick(60_000); // refused: the breaker opens, the rows go back unsent
    deps.clock.advance(73 * 3600_000);
    const s = await tick(0);
    expect(s.failed).toBe(5);
    expect(await ledger('expire')).toEqual([{ status: 'failed', attempts: 1, n: 5 }]);
    const [r] = await rows<{ last_error: string }>(
      deps.db,
      sql`select last_error from deliveries where dedupe_key like 'expire:%' limit 1`,
    );
    expect(r!.last_error).toMatch(/^expired: still unsent 73 h after it was queued/);
  });

  it('10 hours of refused connections cost no attempt and fail nothing; when the server is back every message is sent once', async () => {
    await queue('outage', 200);
    let deferred = 0;
    let paused = 0;
    // 20 ticks, 30 minutes of business time apart: far past 3 attempts × backoff.
    for (let i = 0; i < 20; i++) {
      const s = await tick(30 * 60_000);
      deferred += s.deferred;
      if (s.paused || s.deferred > 0) paused += 1;
      expect(s.failed).toBe(0);
      expect(s.sent).toBe(0);
    }
    expect(services.sender.breaker.state).not.toBe('closed');
    expect(paused).toBe(20);
    expect(deferred).toBeGreaterThanOrEqual(20);
    // Every row is back on the queue unsent, with no attempt spent.
    for (const r of await ledger('outage')) {
      expect(['queued', 'retry']).toContain(r.status);
      expect(r.attempts).toBe(0);
    }
    const [lastError] = await rows<{ last_error: string }>(
      deps.db,
      sql`select last_error from deliveries where dedupe_key like 'outage:%' and last_error is not null limit 1`,
    );
    expect(lastError!.last_error).toMatch(/transport paused: .*ECONNREFUSED/);

    sink = await startSmtpSink({ port });
    let sent = 0;
    for (let i = 0; i < 5 && sent < 200; i++) sent += (await tick(60_000)).sent;
    expect(sent).toBe(200);
    expect(services.sender.breaker.state).toBe('closed');
    expect(await ledger('outage')).toEqual([{ status: 'sent', attempts: 1, n: 200 }]);
    const ids = sink.messages.map((m) => m.parsed.messageId);
    expect(sink.messages).toHaveLength(200);
    expect(new Set(ids).size).toBe(200);
  });
});
