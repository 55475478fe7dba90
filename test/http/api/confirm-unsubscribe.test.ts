import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptions, suppressions } from '../../../src/db/schema/index.js';
import { purgeUnconfirmed } from '../../../src/domain/subscriptions/purge-unconfirmed.js';
import { createUnsubscribeToken } from '../../../src/domain/subscriptions/tokens.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { confirmLinkIn, jsonPost, pathOf, uniqueEmail, rowIdOf } from '../../helpers/signup-fixtures.js';
import { createProduct } from '../../helpers/factories.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

let sink: SmtpSink;
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({
    smtpUrl: sink.url,
    env: { SIGNUP_RATE_LIMIT_PER_IP: '0', SIGNUP_RATE_LIMIT_PER_EMAIL: '0' },
  });
  app = createApp(deps, deps.services);
});
afterAll(async () => {
  await deps.close();
  await sink.close();
});

/** The confirm link of the newest email to `email` (signUp waits until the sender is idle). */
const lastLinkTo = (email: string) =>
  confirmLinkIn(sink.messages.filter((m) => m.envelopeTo.includes(email)).at(-1)?.parsed.text);
const rowOf = async (id: number) => (await deps.db.select().from(subscriptions).where(eq(subscriptions.id, id)))[0];

async function signUp(email: string, sku: string, onApp = app): Promise<{ id: number; status: number }> {
  const res = await onApp.request('/api/v1/signups', jsonPost({ email, sku }));
  await deps.services.idle(); // the confirmation is sent right after the answer
  const body = (await res.json()) as { subscription: { id: string } };
  return { id: await rowIdOf(deps, body, email, sku), status: res.status };
}

describe('GET /confirm', () => {
  it('activates the subscription; a second click answers 200 "already confirmed" and changes nothing', async () => {
    const { sku, name } = await createProduct(deps);
    const email = uniqueEmail();
    const { id } = await signUp(email, sku);
    const link = pathOf(lastLinkTo(email));
    const res = await app.request(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const page = await res.text();
    expect(page).toContain(name);
    expect(page).toContain(`href="/unsubscribe?token=${createUnsubscribeToken(deps.config.appSecret, id)}"`);
    expect(await rowOf(id)).toMatchObject({ status: 'active', confirmExpiresAt: null, confirmedAt: deps.clock.now() });
    deps.clock.advance(60_000);
    const again = await app.request(link);
    expect(again.status).toBe(200);
    expect(again.headers.get('content-type')).toMatch(/text\/html/);
    expect(await again.text()).toContain('already confirmed');
    expect((await rowOf(id))?.confirmedAt).toEqual(new Date(deps.clock.now().getTime() - 60_000));
  });

  it('unknown token → friendly 404 page; missing token → 400 page', async () => {
    const unknown = await app.request('/confirm?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/text\/html/);
    expect((await app.request('/confirm')).status).toBe(400);
  });

  it('expired token → friendly 410 page; purgeUnconfirmed then deletes only the expired pending rows', async () => {
    const { sku } = await createProduct(deps);
    const old = uniqueEmail('old');
    const { id: oldId } = await signUp(old, sku);
    const link = pathOf(lastLinkTo(old));
    deps.clock.advance(47 * 3_600_000);
    const fresh = uniqueEmail('fresh');
    const { id: freshId } = await signUp(fresh, sku);
    deps.clock.advance(1 * 3_600_000 + 1);
    const res = await app.request(link);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('expired');
    expect(await purgeUnconfirmed(deps)).toEqual({ purged: 1 });
    expect(await rowOf(oldId)).toBeUndefined();
    expect((await rowOf(freshId))?.status).toBe('pending');
  });

  it('a re-signup while pending re-sends the email with a fresh link; the EARLIER link still confirms within its TTL', async () => {
    const { sku } = await createProduct(deps);
    const email = uniqueEmail();
    const first = await signUp(email, sku);
    const firstLink = pathOf(lastLinkTo(email));
    deps.clock.advance(3_600_000);
    const second = await signUp(email, sku);
    expect(second).toEqual({ id: first.id, status: 200 });
    const secondLink = pathOf(lastLinkTo(email));
    expect(secondLink).not.toBe(firstLink);
    const res = await app.request(firstLink);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('on the list');
    expect(await rowOf(first.id)).toMatchObject({ status: 'active' });
    // The newer link now finds the subscription confirmed.
    const later = await app.request(secondLink);
    expect(later.status).toBe(200);
    expect(await later.text()).toContain('already confirmed');
  });

  it('an earlier link past its own TTL answers 410 even while a newer link is valid', async () => {
    const { sku } = await createProduct(deps);
    const email = uniqueEmail();
    const first = await signUp(email, sku);
    const firstLink = pathOf(lastLinkTo(email));
    deps.clock.advance((deps.config.signup.confirmTokenTtlHours - 1) * 3_600_000);
    await signUp(email, sku);
    const secondLink = pathOf(lastLinkTo(email));
    deps.clock.advance(2 * 3_600_000);
    expect((await app.request(firstLink)).status).toBe(410);
    expect((await app.request(secondLink)).status).toBe(200);
    expect(await rowOf(first.id)).toMatchObject({ status: 'active' });
  });
});

describe('unsubscribe', () => {
  async function activeSubscription(email = uniqueEmail(), sku?: string) {
    const product = sku ? { sku } : await createProduct(deps);
    const { id } = await signUp(email, product.sku);
    await app.request(pathOf(lastLinkTo(email)));
    return { id, email, sku: product.sku, token: createUnsubscribeToken(deps.config.appSecret, id) };
  }

  it('GET shows a page with a button and does not unsubscribe (link scanners prefetch)', async () => {
    const s = await activeSubscription();
    const res = await app.request(`/unsubscribe?token=${s.token}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<form method="post" action="/unsubscribe?token=${s.token}">`);
    expect(html).not.toContain(s.email); // masked on a page anyone with the link can open
    expect((await rowOf(s.id))?.status).toBe('active');
  });

  it('the page button (POST) unsubscribes and answers with an HTML page; repeating it is harmless', async () => {
    const s = await activeSubscription();
    const res = await app.request(`/unsubscribe?token=${s.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are unsubscribed');
    expect(await rowOf(s.id)).toMatchObject({ status: 'unsubscribed', unsubscribedAt: deps.clock.now() });
    expect((await app.request(`/unsubscribe?token=${s.token}`, { method: 'POST' })).status).toBe(200);
  });

  it('RFC 8058 one-click POST: 200 with a tiny body', async () => {
    const s = await activeSubscription();
    const res = await app.request(`/unsubscribe?token=${s.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeLessThan(40);
    expect((await rowOf(s.id))?.status).toBe('unsubscribed');
    expect(await deps.db.select().from(suppressions).where(eq(suppressions.email, s.email))).toHaveLength(0);
  });

  it('scope=all (query or form field) suppresses the address and ends its other subscriptions', async () => {
    const a = await activeSubscription();
    const other = await activeSubscription(a.email);
    const res = await app.request(`/unsubscribe?token=${a.token}&scope=all`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(await deps.db.select().from(suppressions).where(eq(suppressions.email, a.email))).toEqual([
      { email: a.email, reason: 'unsubscribe-all', createdAt: deps.clock.now() },
    ]);
    expect((await rowOf(other.id))?.status).toBe('unsubscribed');

    const b = await activeSubscription();
    const form = await app.request(`/unsubscribe?token=${b.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'scope=all',
    });
    expect(await form.text()).toContain('unsubscribed from everything');
    expect(await deps.db.select().from(suppressions).where(eq(suppressions.email, b.email))).toHaveLength(1);
  });

  it('invalid, forged or unknown tokens → friendly 404 pages (GET and POST)', async () => {
    const forged = createUnsubscribeToken('another-secret-0123456789-abcdefghij', 1);
    for (const token of ['garbage', forged, createUnsubscribeToken(deps.config.appSecret, 999_999)]) {
      const page = await app.request(`/unsubscribe?token=${encodeURIComponent(token)}`);
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect((await app.request(`/unsubscribe?token=${encodeURIComponent(token)}`, { method: 'POST' })).status).toBe(
        404,
      );
    }
  });

  it('a suppressed address must confirm again, even with double opt-in off; confirming lifts the suppression', async () => {
    const s = await activeSubscription();
    await app.request(`/unsubscribe?token=${s.token}&scope=all`, { method: 'POST' });
    const direct = createApp(
      { ...deps, config: { ...deps.config, signup: { ...deps.config.signup, doubleOptIn: false } } },
      deps.services,
    );
    const { sku } = await createProduct(deps);
    const before = sink.messages.length;
    // Typed in capitals: still the suppressed address. We send to it as typed, domain lower-cased.
    const typed = s.email.toUpperCase();
    const res = await direct.request('/api/v1/signups', jsonPost({ email: typed, sku }));
    await deps.services.idle(); // the confirmation is sent right after the answer
    expect(res.status).toBe(201);
    expect(((await res.json()) as { subscription: { status: string } }).subscription.status).toBe('pending');
    expect(sink.messages.length).toBe(before + 1);
    expect((await direct.request(pathOf(lastLinkTo(typed.replace('@EXAMPLE.COM', '@example.com'))))).status).toBe(200);
    expect(await deps.db.select().from(suppressions).where(eq(suppressions.email, s.email))).toHaveLength(0);
  });

  it('re-signing up after unsubscribing: 200, back to pending with a new confirmation', async () => {
    const s = await activeSubscription();
    await app.request(`/unsubscribe?token=${s.token}`, { method: 'POST' });
    const again = await signUp(s.email, s.sku);
    expect(again).toEqual({ id: s.id, status: 200 });
    expect(await rowOf(s.id)).toMatchObject({ status: 'pending', unsubscribedAt: null, confirmedAt: null });
    expect((await app.request(pathOf(lastLinkTo(s.email)))).status).toBe(200);
    expect((await rowOf(s.id))?.status).toBe('active');
  });

  it('an active subscription whose address got suppressed (hard bounce), or one already notified, is re-armed as pending on re-signup', async () => {
    const bounced = await activeSubscription();
    await deps.db.insert(suppressions).values({ email: bounced.email, reason: 'hard-bounce' });
    const before = sink.messages.length;
    expect(await signUp(bounced.email, bounced.sku)).toEqual({ id: bounced.id, status: 200 });
    expect((await rowOf(bounced.id))?.status).toBe('pending');
    expect(sink.messages.length).toBe(before + 1);
    expect((await app.request(pathOf(lastLinkTo(bounced.email)))).status).toBe(200);
    expect(await deps.db.select().from(suppressions).where(eq(suppressions.email, bounced.email))).toHaveLength(0);

    const notified = await activeSubscription();
    await deps.db
      .update(subscriptions)
      .set({ status: 'notified', notifiedAt: deps.clock.now() })
      .where(eq(subscriptions.id, notified.id));
    expect(await signUp(notified.email, notified.sku)).toEqual({ id: notified.id, status: 200 });
    expect(await rowOf(notified.id)).toMatchObject({ status: 'pending', notifiedAt: null, confirmedAt: null });
  });

  it('an active subscription signing up again stays active and gets no email', async () => {
    const s = await activeSubscription();
    const before = sink.messages.length;
    expect(await signUp(s.email, s.sku)).toEqual({ id: s.id, status: 200 });
    expect((await rowOf(s.id))?.status).toBe('active');
    expect(sink.messages.length).toBe(before);
  });
});
