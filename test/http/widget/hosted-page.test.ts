import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptions } from '../../../src/db/schema/index.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { formPost, uniqueEmail } from '../../helpers/signup-fixtures.js';
import { createProduct } from '../../helpers/factories.js';

/** Issue 12 points 3 and 4 on the hosted page: the product, the way back, consent, inline errors, honest counts. */
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps({ env: { SHOW_WAITLIST_COUNT: 'true' } });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

async function withWaiting(active: number, pending: number, overrides: Parameters<typeof createProduct>[1] = {}) {
  const product = await createProduct(deps, overrides);
  const rows = [...Array(active + pending)].map((_, i) => {
    const email = uniqueEmail(`w${i}`);
    return {
      email,
      emailNormalized: email,
      sku: product.sku,
      status: i < active ? ('active' as const) : ('pending' as const),
    };
  });
  if (rows.length > 0) await deps.db.insert(subscriptions).values(rows);
  return product;
}

describe('GET /signup/{sku}', () => {
  it('shows the product image, a link back to the product, the consent line and how many confirmed shoppers wait', async () => {
    const { sku } = await withWaiting(3, 2, {
      imageUrl: 'https://cdn.shop.example/tee.jpg',
      url: 'https://shop.example/tee',
    });
    const page = await (await app.request(`/signup/${sku}`)).text();
    expect(page).toContain('<img class="product-image" src="https://cdn.shop.example/tee.jpg"');
    expect(page).toContain('<a href="https://shop.example/tee">Back to the product</a>');
    expect(page).toContain('We use your address only for this alert');
    // Pending (unconfirmed) signups are not counted: 3, not 5.
    expect(page).toContain('3 people are waiting for this.');
  });

  it('says "1 person" for one, nothing for none; German with ?locale=de', async () => {
    const one = await withWaiting(1, 0);
    expect(await (await app.request(`/signup/${one.sku}?locale=de`)).text()).toContain(
      '1 Person wartet auf diesen Artikel.',
    );
    const none = await withWaiting(0, 1);
    expect(await (await app.request(`/signup/${none.sku}`)).text()).not.toMatch(/waiting for this/);
  });

  it('the availability API carries the same count; without SHOW_WAITLIST_COUNT it is null', async () => {
    const { sku } = await withWaiting(2, 0);
    expect(await (await app.request(`/api/v1/products/${sku}/availability`)).json()).toMatchObject({
      waiting: 2,
      imageUrl: null,
    });
    const off = createApp({ ...deps, config: { ...deps.config, showWaitlistCount: false } }, deps.services);
    expect(await (await off.request(`/api/v1/products/${sku}/availability`)).json()).toMatchObject({ waiting: null });
    expect(await (await off.request(`/signup/${sku}`)).text()).not.toMatch(/waiting for this/);
  });
});

describe('POST /api/v1/signups as a form with a bad address', () => {
  it('renders the form again (400) with the message at the field and the typed address kept, escaped', async () => {
    const { sku } = await createProduct(deps);
    const typed = 'jane"<b>@nowhere';
    const res = await app.request('/api/v1/signups', formPost({ email: typed, sku, locale: 'en' }));
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('<form method="post" action="/api/v1/signups"');
    expect(page).toContain('Please enter a valid email address, like name@example.com.');
    expect(page).toContain('value="jane&quot;&lt;b&gt;@nowhere"');
    expect(page).toContain('aria-invalid="true"');
    expect(page).not.toContain('<b>@');
  });
});
