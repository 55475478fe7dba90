import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageByCode } from '../../../src/http/errors.js';
import { createApp, PAGES_DIR } from '../../../src/http/app.js';
import { layerMessages, loadPageCatalogue, messagesFor, pickLocale } from '../../../src/http/pages/messages.js';
import { createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { formPost, jsonPost } from '../../helpers/signup-fixtures.js';
import { createProduct } from '../../helpers/factories.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps({ env: { ALLOWED_ORIGINS: 'https://shop.example, https://www.shop.example/' } });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

describe('GET /', () => {
  it('answers an HTML landing page with the service name and a link to /docs', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const page = await res.text();
    expect(page).toContain('<h1>restock-notifier</h1>');
    expect(page).toContain('href="/docs"');
    expect(page).toContain('href="/assets/app.css?v=');
    expect(page).not.toContain('DEMO-TEE-BLUE-M'); // demo links only in development
  });

  it('in development lists the out-of-stock demo products and the dev mailbox', async () => {
    const dev = await createTestDeps({ env: { NODE_ENV: 'development' } });
    try {
      const page = await (await createApp(dev, deps.services).request('/')).text();
      expect(page).toContain('href="/signup/DEMO-TEE-BLUE-M"');
      expect(page).not.toContain('DEMO-SOCKS-3PK'); // in stock: nothing to sign up for
      expect(page).toContain(dev.config.mail.kind === 'capture' ? dev.config.mail.dir : 'unreachable');
    } finally {
      await dev.close();
    }
  });

  it('serves the stylesheet with cache headers and branding custom properties', async () => {
    const res = await app.request('/assets/app.css');
    expect(res.headers.get('content-type')).toMatch(/text\/css/);
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    expect(await res.text()).toContain('--accent:');
    const again = await app.request('/assets/app.css', { headers: { 'If-None-Match': res.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });
});

describe('401 with no API tokens configured', () => {
  it('says that none are configured and how to set API_TOKENS', async () => {
    const bare = await createTestDeps({ env: { API_TOKENS: '' } });
    try {
      const res = await createApp(bare, deps.services).request('/api/v1/inventory/ANY', {
        method: 'PUT',
        headers: { Authorization: `Bearer ${INVENTORY_TOKEN}` },
      });
      expect(res.status).toBe(401);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('UNAUTHORIZED');
      expect(error.message).toContain('No API tokens are configured');
      expect(error.message).toContain('API_TOKENS=inventory:<token>');
    } finally {
      await bare.close();
    }
  });
});

describe('error pages from pageByCode, in the shopper language', () => {
  it('an unknown confirm token → 404 page in English, in German by Accept-Language or ?locale=', async () => {
    const en = await app.request('/confirm?token=not-a-real-token');
    expect(en.status).toBe(404);
    expect(en.headers.get('content-type')).toMatch(/text\/html/);
    const enPage = await en.text();
    expect(enPage).toContain('<html lang="en">');
    expect(enPage).toContain('This link is not valid');
    expect(enPage).toContain('sign up again on the product page'); // the confirm-specific text

    const de = await app.request('/confirm?token=not-a-real-token', {
      headers: { 'Accept-Language': 'fr;q=0.9, de-CH, en;q=0.5' },
    });
    expect(de.status).toBe(404);
    const dePage = await de.text();
    expect(dePage).toContain('<html lang="de">');
    expect(dePage).toContain('Dieser Link ist ungültig');
    expect(dePage).toContain('auf der Produktseite erneut an');

    expect(await (await app.request('/confirm?token=x&locale=de')).text()).toContain('Dieser Link ist ungültig');
    expect(
      await (await app.request('/confirm?token=x&locale=xx', { headers: { 'Accept-Language': 'de' } })).text(),
    ).toContain('Dieser Link ist ungültig');
  });

  it('a German form post with an unknown SKU gets the German 404 page; a bad email comes back inline on the German form', async () => {
    const unknown = await app.request(
      '/api/v1/signups',
      formPost({ email: 'a@example.com', sku: 'NOPE', locale: 'de' }),
    );
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Dieses Produkt kennen wir nicht');
    const { sku } = await createProduct(deps);
    const invalid = await app.request('/api/v1/signups', formPost({ email: 'nope', sku, locale: 'de' }));
    expect(invalid.status).toBe(400);
    const page = await invalid.text();
    expect(page).toContain('Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.com.');
    expect(page).toContain('value="nope"');
    expect(page).toContain('<html lang="de">');
  });

  it('every error code has a title and a text in every locale', () => {
    const catalogue = loadPageCatalogue(PAGES_DIR);
    expect(Object.keys(catalogue.locales).sort()).toEqual(['de', 'en']);
    for (const [locale, map] of Object.entries(catalogue.locales)) {
      for (const entry of Object.values(pageByCode)) {
        expect(map[entry.title], `${locale} ${entry.title}`).toBeTruthy();
        expect(map[entry.text], `${locale} ${entry.text}`).toBeTruthy();
      }
      expect(Object.keys(map).sort(), `${locale} has the same keys as en`).toEqual(
        Object.keys(catalogue.locales.en ?? {}).sort(),
      );
    }
  });
});

describe('page catalogue', () => {
  it('loads flat JSON per locale from a directory, fills placeholders, falls back to en, takes overrides', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rn-pages-'));
    await writeFile(join(dir, 'en.json'), JSON.stringify({ hi: 'Hello {{name}}', only: 'English only' }));
    await writeFile(join(dir, 'de.json'), JSON.stringify({ hi: 'Hallo {{name}}' }));
    const catalogue = loadPageCatalogue(dir);
    expect(messagesFor(catalogue, 'de').t('hi', { name: 'Ada' })).toBe('Hallo Ada');
    expect(messagesFor(catalogue, 'de').t('only')).toBe('English only');
    expect(pickLocale(catalogue, undefined, 'de-AT,de;q=0.9')).toBe('de');
    expect(pickLocale(catalogue, undefined, 'fr')).toBe('en');
    const edited = layerMessages(catalogue, { de: { hi: 'Servus {{name}}' } });
    expect(messagesFor(edited, 'de').t('hi', { name: 'Ada' })).toBe('Servus Ada');
    expect(messagesFor(catalogue, 'de').t('hi', { name: 'Ada' })).toBe('Hallo Ada');
    await writeFile(join(dir, 'fr.json'), JSON.stringify({ nested: { no: 'pe' } }));
    expect(() => loadPageCatalogue(dir)).toThrow(/flat object of strings/);
  });
});

describe('CORS (ALLOWED_ORIGINS)', () => {
  const preflight = (path: string, origin: string, method: string) =>
    app.request(path, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': method,
        'Access-Control-Request-Headers': 'content-type',
      },
    });

  it('an allowed origin gets the headers on preflight and on the actual request', async () => {
    const { sku } = await createProduct(deps);
    const pre = await preflight('/api/v1/signups', 'https://www.shop.example', 'POST');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://www.shop.example');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');

    const post = await app.request(
      '/api/v1/signups',
      jsonPost({ email: 'cors@example.com', sku }, { Origin: 'https://shop.example' }),
    );
    expect(post.status).toBe(201);
    expect(post.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(post.headers.get('vary')).toMatch(/\bOrigin\b/);

    const get = await app.request(`/api/v1/products/${sku}/availability`, {
      headers: { Origin: 'https://shop.example' },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(((await get.json()) as { status: string }).status).toBe('out_of_stock');
  });

  it('another origin gets no CORS headers (preflight and actual), and other routes never do', async () => {
    const { sku } = await createProduct(deps);
    const pre = await preflight(`/api/v1/products/${sku}/availability`, 'https://evil.example', 'GET');
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const get = await app.request(`/api/v1/products/${sku}/availability`, {
      headers: { Origin: 'https://evil.example' },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    // The answer depends on the caller's origin: a shared cache must not hand it to another origin.
    expect(get.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect((await app.request(`/api/v1/products/${sku}/availability`)).headers.get('vary')).toMatch(/\bOrigin\b/);
    const inv = await app.request('/api/v1/inventory/X', {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(inv.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('with ALLOWED_ORIGINS empty no origin is allowed (same origin only)', async () => {
    const plain = await createTestDeps();
    try {
      const res = await createApp(plain, deps.services).request('/api/v1/signups', {
        method: 'OPTIONS',
        headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.close();
    }
  });
});

describe('OpenAPI document', () => {
  it('every operation with error answers declares them with the one ErrorBody schema, webhooks included', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>
      >;
    };
    const shopify = doc.paths['/api/v1/webhooks/shopify/products-update']?.post?.responses ?? {};
    expect(shopify['401']?.content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/ErrorBody');
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          expect(response.content?.['application/json']?.schema?.$ref, `${method} ${path} ${status}`).toBe(
            '#/components/schemas/ErrorBody',
          );
        }
      }
    }
  });
});
