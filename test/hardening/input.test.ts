import { eq, like } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products } from '../../src/db/schema/index.js';
import { signWebhook } from '../../src/domain/inventory/verify-webhook-signature.js';
import { canonicalMailbox } from '../../src/domain/validation/email.js';
import { createApp } from '../../src/http/app.js';
import { createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../helpers/deps.js';
import { formPost, jsonPost } from '../helpers/signup-fixtures.js';
import { createProduct } from '../helpers/factories.js';

const SECRET = 'shpss_hardening_0123456789abcdef0123';
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps({ env: { SHOPIFY_WEBHOOK_SECRET: SECRET, SIGNUP_RATE_LIMIT_PER_IP: '0' } });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

const auth = { authorization: `Bearer ${INVENTORY_TOKEN}` };
const productOf = async (sku: string) => (await deps.db.select().from(products).where(eq(products.sku, sku)))[0];
let n = 0;
const shopify = (payload: unknown, id = `wh-${++n}`) => {
  const body = JSON.stringify(payload);
  return app.request('/api/v1/webhooks/shopify/products-update', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-webhook-id': id,
      'x-shopify-hmac-sha256': signWebhook(SECRET, body),
    },
    body,
  });
};
const product = (
  sku: string,
  qty: number,
  updatedAt = '2026-03-01T11:00:00Z',
  extra: Record<string, unknown> = {},
) => ({
  id: 1,
  title: 'Tee',
  updated_at: updatedAt,
  variants: [{ id: 1, sku, inventory_quantity: qty }],
  ...extra,
});

describe('bulk intake: bad rows are row errors, good rows apply (issue 11 point 7)', () => {
  it('2 good rows + 1 row with \\u0000 → 200, both good rows applied, one row error', async () => {
    const res = await app.request(
      '/api/v1/inventory',
      jsonPost(
        [
          { sku: 'NUL-A', quantity: 1 },
          { sku: 'NUL-B', quantity: 2, name: 'bad\u0000name' },
          { sku: 'NUL-C', quantity: 3 },
        ],
        auth,
      ),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      received: 3,
      created: 2,
      rejected: 1,
      errors: [{ row: 2, sku: 'NUL-B' }],
    });
    expect((await productOf('NUL-C'))?.quantity).toBe(3);
    expect(await productOf('NUL-B')).toBeUndefined();
  });

  const bad = fc.constantFrom<Record<string, unknown>>(
    { name: 'x\u0000y' },
    { sku: 'S\u0000' },
    { sku: 'A'.repeat(3_000) },
    { sku: '\ud800' },
    { eta: '0000-01-01' },
    { eta: '2026-02-30' },
    { imageUrl: 'javascript:alert(1)' },
    { quantity: -1 },
    { etaReason: 'why\u0007' },
  );
  it('property: any mix of good and bad rows (JSON or CSV) applies exactly the good ones', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.boolean(), fc.nat(50), bad), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (spec, csv) => {
          // A lone surrogate cannot be sent as CSV bytes (UTF-8 encoding turns it into U+FFFD, a valid SKU).
          fc.pre(!(csv && spec.some(([good, , b]) => !good && String(b.sku ?? '').includes('\ud800'))));
          run += 1;
          const rows = spec.map(
            ([good, qty, breakage], i): Record<string, unknown> => ({
              sku: `PB-${run}-${i}`,
              quantity: qty,
              ...(good ? {} : breakage),
            }),
          );
          const body = csv
            ? [
                'sku,quantity,name,eta,image_url,eta_reason',
                ...rows.map((r) =>
                  [r.sku, r.quantity, r.name ?? '', r.eta ?? '', r.imageUrl ?? '', r.etaReason ?? '']
                    .map((v) => `"${String(v).replace(/"/g, '""')}"`)
                    .join(','),
                ),
              ].join('\n')
            : JSON.stringify(rows);
          const res = await app.request('/api/v1/inventory', {
            method: 'POST',
            headers: { ...auth, 'content-type': csv ? 'text/csv' : 'application/json' },
            body,
          });
          expect(res.status).toBe(200);
          const summary = (await res.json()) as { created: number; rejected: number };
          const goodSkus = rows.filter((_, i) => spec[i]![0]).map((r) => r.sku);
          expect(summary.created).toBe(goodSkus.length);
          expect(summary.rejected).toBe(rows.length - goodSkus.length);
          const stored = await deps.db
            .select({ sku: products.sku })
            .from(products)
            .where(like(products.sku, `PB-${run}-%`));
          expect(stored.map((r) => r.sku).sort()).toEqual(goodSkus.sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('webhooks: same validation as the API, replay and freezing (points 8, 9)', () => {
  it('the same signed body under a new delivery id is a duplicate (applied once)', async () => {
    const payload = product('REPLAY-1', 0);
    expect((await shopify(payload, 'first-id')).status).toBe(200);
    await app.request('/api/v1/inventory/REPLAY-1', {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"quantity":0}',
    });
    const replay = await shopify(payload, 'fresh-id-chosen-by-attacker');
    expect(await replay.json()).toEqual({ duplicate: true, results: [] });
  });

  it('updated_at more than 5 minutes ahead → 400, the SKU is not frozen for later updates', async () => {
    const res = await shopify(product('FREEZE-1', 3, '2099-01-01T00:00:00Z'));
    expect(res.status).toBe(400);
    expect(await productOf('FREEZE-1')).toBeUndefined();
    expect((await shopify(product('FREEZE-1', 4, '2026-03-01T12:04:00Z'))).status).toBe(200); // within the skew
    expect((await shopify(product('FREEZE-1', 5, '2026-03-01T12:04:30Z'))).status).toBe(200);
    expect((await productOf('FREEZE-1'))?.quantity).toBe(5);
  });

  it('a 3,000-character or NUL SKU is a rejected variant; `javascript:` image URLs are never stored; a 3,000-character delivery id → 400', async () => {
    const payload = {
      ...product('WH-OK', 2),
      variants: [
        { id: 1, sku: 'WH-OK', inventory_quantity: 2 },
        { id: 2, sku: 'B'.repeat(3_000), inventory_quantity: 1 },
        { id: 3, sku: 'N\u0000', inventory_quantity: 1 },
      ],
      image: { src: 'javascript:alert(1)' },
    };
    const res = await shopify(payload);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { sku: string }[]; rejected: { sku: string }[] };
    expect(body.results.map((r) => r.sku)).toEqual(['WH-OK']);
    expect(body.rejected).toHaveLength(2);
    expect((await productOf('WH-OK'))?.imageUrl).toBeNull();
    expect((await shopify(product('WH-LONG-ID', 1), 'x'.repeat(3_000))).status).toBe(400);
  });
});

describe('signup abuse and leaks (points 11, 13)', () => {
  it('plus-tags and Gmail dots count against one mailbox; the daily cap holds across 10-minute windows', async () => {
    expect(canonicalMailbox('Bomb+7@Example.com')).toBe('bomb@example.com');
    expect(canonicalMailbox('b.o.m.b+x@googlemail.com')).toBe('bomb@gmail.com');
    const { sku } = await createProduct(deps);
    const limited = createApp(
      {
        ...deps,
        config: { ...deps.config, signup: { ...deps.config.signup, rateLimitPerEmail: 3, dailyCapPerEmail: 5 } },
      },
      deps.services,
    );
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await limited.request('/api/v1/signups', jsonPost({ email: `b.omb+${i}@gmail.com`, sku }))).status,
      );
    expect(statuses).toEqual([201, 201, 201, 429]);
    deps.clock.advance(11 * 60_000);
    const later = [];
    for (let i = 4; i < 7; i++)
      later.push((await limited.request('/api/v1/signups', jsonPost({ email: `bomb+${i}@gmail.com`, sku }))).status);
    expect(later).toEqual([201, 201, 429]); // 5 a day
  });

  it('the honeypot redirect never echoes an unbounded SKU into Location', async () => {
    const res = await app.request(
      '/api/v1/signups',
      formPost({ email: 'bot@example.com', sku: 'S'.repeat(360_000), website: 'http://spam' }),
    );
    expect(res.status).toBe(303);
    expect((res.headers.get('location') ?? '').length).toBeLessThan(300);
  });

  it('public answers carry an opaque id, not the row number', async () => {
    const { sku } = await createProduct(deps);
    const body = (await (
      await app.request('/api/v1/signups', jsonPost({ email: 'opaque@example.com', sku }))
    ).json()) as { subscription: { id: unknown } };
    expect(body.subscription.id).toMatch(/^sub_[A-Za-z0-9_-]{22}$/);
  });

  it('names with digits, URLs or @ are refused (400): a name is not a channel for a message', async () => {
    const { sku } = await createProduct(deps);
    const res = await app.request(
      '/api/v1/signups',
      jsonPost({ email: 'named@example.com', sku, name: 'there! Verify at https://evil.example/login' }),
    );
    expect(res.status).toBe(400);
  });
});
