import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPageCopy } from '../../../src/domain/templates/load-page-copy.js';
import { seedPageCopy } from '../../../src/domain/templates/seed-page-copy.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { createProduct } from '../../helpers/factories.js';
import { asToken } from './console-helpers.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let dir: string;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const en = { 'signup.title': 'Notify me: {{product}}', 'signup.submit': 'Notify me' };
const de = { 'signup.title': 'Benachrichtigen: {{product}}', 'signup.submit': 'Benachrichtigen' };
const call = async (path: string, init: RequestInit = {}) => {
  const res = await app.request(path, { ...init, headers: asToken(MARKETING_TOKEN) });
  return { status: res.status, body: (await res.json()) as Json };
};

beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
  dir = await mkdtemp(join(tmpdir(), 'rn-pages-'));
  await writeFile(join(dir, 'en.json'), JSON.stringify(en));
  await writeFile(join(dir, 'de.json'), JSON.stringify(de));
});
afterAll(() => deps.close());

describe('hosted pages copy, edited like a template (key `pages`)', () => {
  it('seeds one published version per locale, idempotently', async () => {
    expect((await seedPageCopy(deps, { dir })).map((r) => `${r.locale}:${r.outcome}`)).toEqual([
      'de:published',
      'en:published',
    ]);
    expect((await seedPageCopy(deps, { dir })).map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    const list = await call('/api/v1/admin/templates');
    expect(list.body.templates.filter((t: Json) => t.kind === 'pages').map((t: Json) => t.locale)).toEqual([
      'de',
      'en',
    ]);
  });

  it('gets, checks, saves, publishes and serves a locale’s copy', async () => {
    const got = await call('/api/v1/admin/templates/pages/de');
    expect(got.body).toMatchObject({ key: 'pages', locale: 'de', version: 1, status: 'published', messages: de });
    const bad = await call('/api/v1/admin/templates/pages/de/preview', {
      method: 'POST',
      body: JSON.stringify({ messages: { ...de, 'signup.title': 'Jetzt {{price}}' } }),
    });
    expect(bad.body.checks).toEqual([
      expect.objectContaining({ code: 'UNDECLARED_VARIABLE', level: 'error', field: 'signup.title' }),
    ]);
    expect(bad.body.html).toContain('Jetzt {{price}}');
    const edited = { ...de, 'signup.submit': 'Bitte benachrichtigen' };
    const saved = await call('/api/v1/admin/templates/pages/de', {
      method: 'PUT',
      body: JSON.stringify({ messages: edited }),
    });
    expect(saved.body).toEqual({ version: 2, checks: [] });
    expect((await loadPageCopy(deps)).de).toEqual(de); // a draft serves nothing yet
    expect((await call('/api/v1/admin/templates/pages/de/publish', { method: 'POST' })).status).toBe(200);
    expect((await loadPageCopy(deps)).de).toEqual(edited);
    expect(
      (
        await call('/api/v1/admin/templates/pages/de', {
          method: 'PUT',
          body: JSON.stringify({ subject: 'x', mjml: 'y' }),
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('/api/v1/admin/templates/pages/de/test-send', {
          method: 'POST',
          body: JSON.stringify({ to: 'a@b.example' }),
        })
      ).status,
    ).toBe(400);
  });

  it('the hosted pages show the published copy and the branding at once', async () => {
    const { sku } = await createProduct(deps, { quantity: 0, name: 'Copy Lamp' });
    await app.request('/api/v1/admin/branding', {
      method: 'PUT',
      headers: asToken(MARKETING_TOKEN),
      body: JSON.stringify({ shopName: 'Lampenladen Nord' }),
    });
    const html = await (await app.request(`/signup/${sku}?locale=de`)).text();
    expect(html).toContain('Bitte benachrichtigen');
    expect(html).toContain('Lampenladen Nord');
    const en = await (await app.request(`/signup/${sku}?locale=en`)).text();
    expect(en).not.toContain('Bitte benachrichtigen');
  });

  it('a deploy with new shipped copy does not override a console publish: it becomes a draft', async () => {
    await writeFile(join(dir, 'de.json'), JSON.stringify({ ...de, 'signup.eta': 'Erwartet um den {{date}}.' }));
    expect((await seedPageCopy(deps, { dir })).find((r) => r.locale === 'de')).toMatchObject({
      outcome: 'draft',
      version: 3,
    });
    expect((await loadPageCopy(deps)).de?.['signup.submit']).toBe('Bitte benachrichtigen');
  });

  it('rollback publishes a copy of an earlier catalogue', async () => {
    const rb = await call('/api/v1/admin/templates/pages/de/rollback', {
      method: 'POST',
      body: JSON.stringify({ version: 1 }),
    });
    expect(rb.body).toMatchObject({ version: 4, copiedFrom: 1 });
    expect((await loadPageCopy(deps)).de).toEqual(de);
  });
});
