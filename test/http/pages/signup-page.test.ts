import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct } from '../../helpers/factories.js';
import { demoProducts, seedDemoProducts } from '../../../src/db/demo-products.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

describe('GET /signup/{sku}', () => {
  it('shows the product name (escaped) and a form posting email, sku and the hidden honeypot', async () => {
    const { sku } = await createProduct(deps, {
      name: '<script>alert(1)</script> & "Tee"',
      eta: '2026-05-01',
      backorderable: true,
    });
    const res = await app.request(`/signup/${sku}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Tee&quot;');
    expect(page).toContain('<form method="post" action="/api/v1/signups">');
    expect(page).toContain(`<input type="hidden" name="sku" value="${sku}"/>`);
    expect(page).toMatch(/<input id="email" type="email" name="email"/);
    expect(page).toMatch(/<div class="hp" aria-hidden="true">.*name="website"/);
    expect(page).toContain('Expected back around May 1, 2026.'); // the ETA spelled out in the page language
    const de = await (await app.request(`/signup/${sku}?locale=de`)).text();
    expect(de).toContain('Voraussichtlich wieder da um den 1. Mai 2026.');
    expect(de).toContain('<input type="hidden" name="locale" value="de"/>');
  });

  it('an unknown SKU is a friendly 404 page; an in-stock product shows no form', async () => {
    const missing = await app.request('/signup/NOPE-404');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/text\/html/);
    const { sku } = await createProduct(deps, { quantity: 3, url: 'https://shop.example/p?a=1&b=2' });
    const page = await (await app.request(`/signup/${sku}`)).text();
    expect(page).toContain('is in stock');
    expect(page).not.toContain('<form');
    expect(page).toContain('href="https://shop.example/p?a=1&amp;b=2"');
  });
});

describe('demo products (npm run seed)', () => {
  it('are inserted once; a second run inserts nothing; an out-of-stock one has a working signup page', async () => {
    expect(await seedDemoProducts(deps.db)).toHaveLength(demoProducts.length);
    expect(await seedDemoProducts(deps.db)).toEqual([]);
    expect((await app.request('/signup/DEMO-TEE-BLUE-M')).status).toBe(200);
  });
});
