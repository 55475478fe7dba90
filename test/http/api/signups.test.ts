import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationTokens, subscriptions } from '../../../src/db/schema/index.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { formPost, fromIp, jsonPost, uniqueEmail, rowIdOf } from '../../helpers/signup-fixtures.js';
import { createProduct } from '../../helpers/factories.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  // Limits off here; rate-limit tests build their own app with limits on (see below).
  deps = await createTestDeps({
    env: {
      SIGNUP_RATE_LIMIT_PER_IP: '0',
      SIGNUP_RATE_LIMIT_PER_EMAIL: '0',
      SIGNUP_DAILY_CAP_PER_EMAIL: '0',
      RESTOCK_MIN_QUANTITY: '2',
    },
  });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

const signup = (body: unknown, env?: object) => app.request('/api/v1/signups', jsonPost(body), env);
const rowsFor = (email: string, sku: string) =>
  deps.db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.emailNormalized, email.toLowerCase()), eq(subscriptions.sku, sku)));

describe('POST /api/v1/signups (JSON)', () => {
  it('201: a new signup is pending under double opt-in, stored with the normalized address', async () => {
    const { sku } = await createProduct(deps);
    const res = await signup({ email: '  Jane.Doe+tees@Example.COM ', sku, locale: 'de-CH', name: 'Jane' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { subscription: { id: string; sku: string; email: string; status: string } };
    expect(body.subscription).toEqual({
      id: expect.stringMatching(/^sub_[A-Za-z0-9_-]{22}$/),
      sku,
      email: 'Jane.Doe+tees@example.com',
      status: 'pending',
    });
    const rowId = await rowIdOf(deps, body, 'jane.doe+tees@example.com', sku);
    const [row] = await rowsFor('jane.doe+tees@example.com', sku);
    expect(row).toMatchObject({
      email: 'Jane.Doe+tees@example.com',
      emailNormalized: 'jane.doe+tees@example.com',
      locale: 'de-CH',
      name: 'Jane',
      source: 'api',
    });
    // One confirmation link issued, stored by its hash only, expiring with the subscription's pending state.
    const links = await deps.db.select().from(confirmationTokens).where(eq(confirmationTokens.subscriptionId, rowId));
    expect(links).toHaveLength(1);
    expect(links[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(links[0]?.expiresAt.toISOString()).toBe('2026-03-03T12:00:00.000Z');
    expect(row?.confirmExpiresAt?.toISOString()).toBe('2026-03-03T12:00:00.000Z'); // clock + 48 h
  });

  it('200: the same address (any case) and SKU again returns the existing subscription, no second row', async () => {
    const { sku } = await createProduct(deps);
    const email = uniqueEmail();
    const first = (await (await signup({ email, sku })).json()) as { subscription: { id: string } };
    const again = await signup({ email: email.toUpperCase(), sku });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { subscription: { id: string } }).subscription.id).toBe(first.subscription.id);
    expect(await rowsFor(email, sku)).toHaveLength(1);
  });

  it.each([
    ['no @', 'jane.example.com', 'must contain exactly one @'],
    ['two @', 'jane@doe@example.com', 'must contain exactly one @'],
    ['local part over 64', `${'a'.repeat(65)}@example.com`, 'at most 64'],
    ['over 254 in all', `a@${Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.')}.com`, 'at most 254'],
    ['domain without a dot', 'jane@localhost', 'with a dot'],
    ['IP literal', 'jane@[192.168.0.1]', 'not an IP address'],
    ['bare IP', 'jane@192.168.0.1', 'not an IP address'],
    ['space inside', 'ja ne@example.com', 'not allowed'],
    ['empty', '   ', 'is required'],
  ])('400: %s', async (_label, email, message) => {
    const { sku } = await createProduct(deps);
    const res = await signup({ email, sku });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { path: string; message: string }[] } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.details).toEqual([{ path: 'email', message: expect.stringContaining(message) }]);
  });

  it('400: missing fields and a bad locale name the fields in details', async () => {
    const missing = await signup({ email: 'jane@example.com' });
    expect(missing.status).toBe(400);
    expect(
      ((await missing.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path),
    ).toContain('sku');
    const { sku } = await createProduct(deps);
    const badLocale = await signup({ email: uniqueEmail(), sku, locale: 'not a locale!' });
    expect(badLocale.status).toBe(400);
    expect(((await badLocale.json()) as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(
      'locale',
    );
  });

  it('400 for malformed JSON and 415 for another media type, both as envelopes', async () => {
    const bad = await app.request('/api/v1/signups', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    const text = await app.request('/api/v1/signups', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(text.status).toBe(415);
  });

  it('IP literals are accepted when ALLOW_IP_LITERAL_EMAILS is on', async () => {
    const { sku } = await createProduct(deps);
    const open = createApp(
      { ...deps, config: { ...deps.config, signup: { ...deps.config.signup, allowIpLiteralEmails: true } } },
      deps.services,
    );
    const res = await open.request('/api/v1/signups', jsonPost({ email: 'ops@[10.0.0.1]', sku }));
    expect(res.status).toBe(201);
  });

  it('404 UNKNOWN_SKU when no product row exists', async () => {
    const res = await signup({ email: uniqueEmail(), sku: 'NO-SUCH-SKU' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNKNOWN_SKU');
  });

  it('409 IN_STOCK at or above RESTOCK_MIN_QUANTITY; below it (or backorderable at 0) signups work', async () => {
    const inStock = await createProduct(deps, { quantity: 2 });
    const res = await signup({ email: uniqueEmail(), sku: inStock.sku });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('IN_STOCK');
    const low = await createProduct(deps, { quantity: 1 });
    expect((await signup({ email: uniqueEmail(), sku: low.sku })).status).toBe(201);
    const backorder = await createProduct(deps, { quantity: 0, backorderable: true, eta: '2026-04-01' });
    expect((await signup({ email: uniqueEmail(), sku: backorder.sku })).status).toBe(201);
  });

  it('honeypot: a filled `website` gets a 201-looking answer and nothing is stored', async () => {
    const { sku } = await createProduct(deps);
    const email = uniqueEmail('bot');
    const res = await signup({ email, sku, website: 'http://spam.example' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { subscription: { status: string } }).subscription.status).toBe('pending');
    // Even with an invalid address the bot learns nothing.
    expect((await signup({ email: 'not-an-email', sku, website: 'x' })).status).toBe(201);
    expect(await rowsFor(email, sku)).toHaveLength(0);
  });

  it('double opt-in off: 201 active with confirmed_at, no token', async () => {
    const { sku } = await createProduct(deps);
    const direct = createApp(
      { ...deps, config: { ...deps.config, signup: { ...deps.config.signup, doubleOptIn: false } } },
      deps.services,
    );
    const email = uniqueEmail();
    const res = await direct.request('/api/v1/signups', jsonPost({ email, sku }));
    expect(res.status).toBe(201);
    expect(((await res.json()) as { subscription: { status: string } }).subscription.status).toBe('active');
    const [row] = await rowsFor(email, sku);
    expect(row).toMatchObject({ status: 'active', confirmExpiresAt: null });
    expect(
      await deps.db.select().from(confirmationTokens).where(eq(confirmationTokens.subscriptionId, row!.id)),
    ).toEqual([]);
    expect(row?.confirmedAt).toBeInstanceOf(Date);
  });

  it('50 concurrent duplicate signups → exactly one row, one 201 and 49 × 200 with the same id', async () => {
    const { sku } = await createProduct(deps);
    const email = uniqueEmail('race');
    const responses = await Promise.all(Array.from({ length: 50 }, () => signup({ email, sku })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    const ids = new Set(
      await Promise.all(
        responses.map(async (r) => ((await r.json()) as { subscription: { id: string } }).subscription.id),
      ),
    );
    expect(ids.size).toBe(1);
    expect(await rowsFor(email, sku)).toHaveLength(1);
  });
});

describe('POST /api/v1/signups (HTML form)', () => {
  it('303 to a friendly result page; the row records source "form"', async () => {
    const { sku, name } = await createProduct(deps);
    const email = uniqueEmail('form');
    const res = await app.request('/api/v1/signups', formPost({ email, sku, website: '', name: '' }));
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toBe(`/signup/${sku}/done?status=pending`);
    const page = await app.request(location);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('Check your inbox');
    expect(html).toContain(name);
    expect((await rowsFor(email, sku))[0]).toMatchObject({ source: 'form', name: null });
  });

  it.each([
    ['an invalid address', { email: 'nope' }, 400, 'Please check your details'],
    ['an unknown SKU', { sku: 'NO-SUCH' }, 404, 'We do not know this product'],
    ['a product in stock', { inStock: 'yes' }, 409, 'in stock'],
    ['a missing email field', { email: undefined }, 400, 'Please check your details'],
  ])('%s → HTML error page with the right status, never JSON', async (_label, change, status, text) => {
    const product = await createProduct(deps, { quantity: 'inStock' in change ? 5 : 0 });
    const fields: Record<string, string> = { email: uniqueEmail(), sku: product.sku };
    for (const [k, v] of Object.entries(change)) {
      if (k === 'inStock') continue;
      if (v === undefined) delete fields[k];
      else fields[k] = v;
    }
    const res = await app.request('/api/v1/signups', formPost(fields));
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain(text);
  });

  it('honeypot on a form post: the same redirect a person gets, nothing stored', async () => {
    const { sku } = await createProduct(deps);
    const email = uniqueEmail('formbot');
    const res = await app.request('/api/v1/signups', formPost({ email, sku, website: 'spam' }));
    expect(res.status).toBe(303);
    expect(await rowsFor(email, sku)).toHaveLength(0);
  });
});

describe('rate limits (in-process)', () => {
  it('per IP: 429 RATE_LIMITED with Retry-After; another IP is unaffected; the window slides with the clock', async () => {
    const limited = createApp(
      { ...deps, config: { ...deps.config, signup: { ...deps.config.signup, rateLimitPerIp: 2 } } },
      deps.services,
    );
    const { sku } = await createProduct(deps);
    const send = (ip: string) =>
      limited.request('/api/v1/signups', jsonPost({ email: uniqueEmail(), sku }), fromIp(ip));
    expect((await send('10.1.1.1')).status).toBe(201);
    deps.clock.advance(20_000);
    expect((await send('10.1.1.1')).status).toBe(201);
    const refused = await send('10.1.1.1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('40');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect((await send('10.2.2.2')).status).toBe(201);
    deps.clock.advance(40_000);
    expect((await send('10.1.1.1')).status).toBe(201);
  });

  it('TRUST_PROXY: the right-most X-Forwarded-For entry is the client; without it the socket address is', async () => {
    const { sku } = await createProduct(deps);
    const cfg = (trustProxy: boolean) => ({
      ...deps,
      config: { ...deps.config, signup: { ...deps.config.signup, rateLimitPerIp: 1, trustProxy } },
    });
    const proxied = createApp(cfg(true), deps.services);
    const send = (a: ReturnType<typeof createApp>, xff: string) =>
      a.request(
        '/api/v1/signups',
        jsonPost({ email: uniqueEmail(), sku }, { 'x-forwarded-for': xff }),
        fromIp('127.0.0.1'),
      );
    expect((await send(proxied, '1.1.1.1, 203.0.113.7')).status).toBe(201);
    expect((await send(proxied, '9.9.9.9, 203.0.113.7')).status).toBe(429); // forged left part does not help
    expect((await send(proxied, '203.0.113.8')).status).toBe(201);
    const direct = createApp(cfg(false), deps.services);
    expect((await send(direct, '1.1.1.1')).status).toBe(201);
    expect((await send(direct, '2.2.2.2')).status).toBe(429); // header ignored: same socket address
  });

  it('per email (any case, any IP): 429 after SIGNUP_RATE_LIMIT_PER_EMAIL in 10 minutes; a form post gets an HTML 429', async () => {
    const limited = createApp(
      { ...deps, config: { ...deps.config, signup: { ...deps.config.signup, rateLimitPerEmail: 3 } } },
      deps.services,
    );
    const { sku } = await createProduct(deps);
    const email = uniqueEmail('limit');
    for (let i = 0; i < 3; i++) {
      expect(
        (await limited.request('/api/v1/signups', jsonPost({ email, sku }), fromIp(`10.3.0.${i}`))).status,
      ).toBeLessThan(300);
    }
    const refused = await limited.request(
      '/api/v1/signups',
      jsonPost({ email: email.toUpperCase(), sku }),
      fromIp('10.3.0.9'),
    );
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(600);
    const form = await limited.request('/api/v1/signups', formPost({ email, sku }), fromIp('10.3.0.10'));
    expect(form.status).toBe(429);
    expect(form.headers.get('content-type')).toMatch(/text\/html/);
    expect(form.headers.get('retry-after')).toBe('600');
    expect(await form.text()).toContain('Too many attempts');
  });
});
