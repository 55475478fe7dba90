import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppressions } from '../../../src/db/schema/index.js';
import { eraseSubscriber } from '../../../src/domain/people/erase-subscriber.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { asSession, loginAs, type ConsoleSession } from './console-helpers.js';

/**
 * Issue 21 point 4: test sends go to staff only — the console user's own address or TEST_SEND_ALLOWED;
 * rate-limited per user; suppressions and erasure apply; drafts with blocking errors are refused.
 */
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let sink: SmtpSink;
let editor: ConsoleSession;
const base = '/api/v1/admin/templates/back-in-stock/en';
const asToken = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });
const send = (to: string | undefined, headers: Record<string, string>) =>
  app.request(`${base}/test-send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(to ? { to } : {}),
  });

beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({
    smtpUrl: sink.url,
    env: { TEST_SEND_ALLOWED: 'qa@shop.example,@staff.shop.example', TEST_SEND_RATE_LIMIT_PER_HOUR: '6' },
  });
  app = createApp(deps, deps.services);
  editor = await loginAs(app, deps, 'marketing');
});
afterAll(async () => {
  await deps.close();
  await sink.close();
});

describe('template test sends', () => {
  it('the finding: a marketing token cannot mail a stranger; nothing is sent', async () => {
    const before = sink.messages.length;
    const res = await send('victim@elsewhere.example', asToken(MARKETING_TOKEN));
    expect(res.status).toBe(403);
    expect(sink.messages.length).toBe(before);
  });

  it('a console user can send to their own address and to TEST_SEND_ALLOWED (address or @domain), not elsewhere', async () => {
    expect((await send(undefined, asSession(editor))).status).toBe(200);
    expect((await send(editor.email.toUpperCase(), asSession(editor))).status).toBe(200);
    expect((await send('qa@shop.example', asSession(editor))).status).toBe(200);
    expect((await send('lea@staff.shop.example', asSession(editor))).status).toBe(200);
    expect((await send('someone@shop.example', asSession(editor))).status).toBe(403);
  });

  it('a suppressed or erased address gets no test send', async () => {
    await deps.db.insert(suppressions).values({ email: 'bounced@staff.shop.example', reason: 'hard-bounce' });
    expect((await send('bounced@staff.shop.example', asToken(MARKETING_TOKEN))).status).toBe(403);
    await eraseSubscriber(deps, { email: 'gone@staff.shop.example' });
    const erased = await send('gone@staff.shop.example', asToken(MARKETING_TOKEN));
    expect(erased.status).toBe(403);
    expect(((await erased.json()) as { error: { message: string } }).error.message).toContain('erased');
  });

  it('is rate-limited per user or token (TEST_SEND_RATE_LIMIT_PER_HOUR), with Retry-After', async () => {
    const other = await loginAs(app, deps, 'marketing');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await send(undefined, asSession(other))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    const limited = await send(undefined, asSession(other));
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    deps.clock.advance(3_600_000);
    expect((await send(undefined, asSession(other))).status).toBe(200);
  });

  it('a draft with blocking errors is refused (422) and nothing is sent', async () => {
    const t = (await (await app.request(base, { headers: asSession(editor) })).json()) as {
      subject: string;
      mjml: string;
    };
    const put = await app.request(base, {
      method: 'PUT',
      headers: { ...asSession(editor), 'content-type': 'application/json' },
      body: JSON.stringify({ subject: t.subject, mjml: t.mjml.replace('</mj-body>', '{{#if broken}}</mj-body>') }),
    });
    expect(put.status).toBeLessThan(500);
    const fresh = await loginAs(app, deps, 'marketing');
    const before = sink.messages.length;
    const res = await send(undefined, asSession(fresh));
    expect(res.status).toBe(422);
    expect(sink.messages.length).toBe(before);
  });
});
