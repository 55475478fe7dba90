import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { confirmLinkIn, jsonPost, pathOf } from '../helpers/signup-fixtures.js';
import { createProduct } from '../helpers/factories.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

/**
 * Issue 11 point 10: a run with signups, confirmations and errors — including a database error
 * that fails a whole signup batch — logged by the real pino logger at debug into a buffer: no line
 * holds an email address or a token, and the database error's cause is there.
 */
const lines: string[] = [];
let deps: TestDeps;
let sink: SmtpSink;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  sink = await startSmtpSink();
  const log = createLogger('debug', { write: (s: string) => void lines.push(s) });
  deps = await createTestDeps({ smtpUrl: sink.url, log, env: { SIGNUP_RATE_LIMIT_PER_IP: '0' } });
  app = createApp(deps, deps.services);
});
afterAll(async () => {
  await deps.close();
  await sink.close();
});

describe('log lines carry no personal data', () => {
  it('signups, confirmations, bad requests and a failing database leave no address or token in the logs', async () => {
    const { sku } = await createProduct(deps);
    const emails = ['leak.check+one@example.com', 'Second.Shopper@example.org', 'third@example.net'];
    const tokens: string[] = [];
    for (const email of emails)
      expect((await app.request('/api/v1/signups', jsonPost({ email, sku, name: 'Jane' }))).status).toBe(201);
    await deps.services.idle();
    for (const m of sink.messages) {
      const link = confirmLinkIn(m.parsed.text);
      tokens.push(new URL(link).searchParams.get('token')!);
      expect((await app.request(pathOf(link))).status).toBe(200);
    }
    expect(tokens).toHaveLength(3);
    await app.request(`/confirm?token=${tokens[0]}x&email=${encodeURIComponent(emails[0]!)}`);
    await app.request('/api/v1/signups', jsonPost({ email: 'not-an-address', sku }));

    // The database refuses the batch's statement (and then the one-by-one retry): the warning and
    // the 500's error line must name the cause without the failed query's parameters.
    await rows(deps.db, sql`alter table confirmation_tokens rename to confirmation_tokens_off`);
    const failing = 'during.outage+tag@example.com';
    emails.push(failing);
    expect((await app.request('/api/v1/signups', jsonPost({ email: failing, sku: `${sku}` }))).status).toBe(500);
    await rows(deps.db, sql`alter table confirmation_tokens_off rename to confirmation_tokens`);
    await deps.services.idle();

    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(5);
    for (const email of emails) {
      expect(text.toLowerCase()).not.toContain(email.toLowerCase());
      expect(text.toLowerCase()).not.toContain(email.split('@')[0]!.toLowerCase());
    }
    for (const token of tokens) expect(text).not.toContain(token);
    expect(text).not.toMatch(/[^\s"@]+@[^\s"@]+\.[a-z]{2,}/i);
    const errorLine = lines
      .map((l) => JSON.parse(l) as { msg: string; err?: { cause?: { code?: string; message?: string } } })
      .find((l) => l.msg === 'unhandled error');
    expect(errorLine?.err?.cause?.code).toBe('42P01'); // undefined_table: the database's own reason
    expect(errorLine?.err?.cause?.message).toContain('confirmation_tokens');
  });
});

describe('the access line', () => {
  it('is a debug line with the route pattern (never the raw path) and the request id of X-Request-Id; nothing at info', async () => {
    const { sku } = await createProduct(deps);
    lines.length = 0;
    const res = await app.request(`/api/v1/products/${sku}/availability`);
    expect(res.status).toBe(200);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const access = parsed.find((l) => l.msg === 'request');
    expect(access).toMatchObject({
      level: 20,
      method: 'GET',
      route: '/api/v1/products/:sku/availability',
      status: 200,
      requestId: res.headers.get('x-request-id'),
    });
    expect(JSON.stringify(parsed)).not.toContain(sku);

    const infoLines: string[] = [];
    const atInfo = await createTestDeps({
      log: createLogger('info', { write: (s: string) => void infoLines.push(s) }),
    });
    try {
      expect((await createApp(atInfo, atInfo.services).request('/healthz')).status).toBe(200);
      expect(infoLines.filter((l) => (JSON.parse(l) as { msg: string }).msg === 'request')).toEqual([]);
    } finally {
      await atInfo.close();
    }
  });
});
