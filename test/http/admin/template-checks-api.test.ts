import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { largeCatalogue } from '../../fixtures/mjml/large.js';
import { asSession, loginAs, type ConsoleSession } from './console-helpers.js';

/**
 * The checks through the API on templates shaped like public collections' (test/fixtures/mjml/):
 * what is judged is the email mjml renders with the sample data; the render runs in the worker pool
 * and its cache means the editor page never compiles a draft that was just saved.
 */
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let editor: ConsoleSession;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const base = '/api/v1/admin/templates/back-in-stock/en';
const fixture = (name: string) => readFile(new URL(`../../fixtures/mjml/${name}`, import.meta.url), 'utf8');
const req = async (path: string, init: RequestInit = {}) => {
  const res = await app.request(path, {
    ...init,
    headers: { ...asSession(editor), ...(init.headers as Record<string, string>) },
  });
  return { status: res.status, body: (await res.json()) as Json };
};
const preview = (mjml: string) =>
  req(`${base}/preview`, { method: 'POST', body: JSON.stringify({ subject: 'News', mjml }) });
const codes = (checks: Json[]) => checks.map((c) => `${c.level}:${c.code}${c.line ? `@${c.line}` : ''}`);

beforeAll(async () => {
  // The smallest size limit allowed (200 KB), so a too-large template still passes the API's own body limits.
  deps = await createTestDeps({ env: { RENDER_MAX_KB: '200' } });
  app = createApp(deps, deps.services);
  editor = await loginAs(app, deps, 'marketing');
});
afterAll(async () => {
  await deps.close();
});

describe('template checks over the API, on real-world shapes', () => {
  it('real-estate shape (`>` on the next line, mj-font, mj-attributes, hero, social): renders, decorative alt="" is no warning', async () => {
    const { status, body } = await preview(await fixture('real-estate.mjml'));
    expect(status).toBe(200);
    expect(codes(body.checks)).toEqual([]);
    expect(body.html).toContain('Find your next home');
  });

  it('CRLF newsletter: navbar links resolve under base-url; a carousel image without alt warns; the commented footer is not content', async () => {
    const { body } = await preview(await fixture('newsletter-crlf.mjml'));
    expect(codes(body.checks)).toEqual(['warning:IMAGE_ALT_MISSING@27']);
    expect(body.html).toContain('href="https://shop.example/women"');
  });

  it('merge tags of other tools block publishing, each named with its line', async () => {
    const source = await fixture('other-tools.mjml');
    const { body } = await preview(source);
    expect(codes(body.checks)).toEqual([
      'error:FOREIGN_MERGE_TAG@5',
      'error:FOREIGN_MERGE_TAG@6',
      'error:FOREIGN_MERGE_TAG@6',
      'error:FOREIGN_MERGE_TAG@7',
      'warning:IMAGE_ALT_MISSING@8',
    ]);
    expect(body.checks[0].message).toContain('[[FirstName]]');
    expect((await req(base, { method: 'PUT', body: JSON.stringify({ subject: 'News', mjml: source }) })).status).toBe(
      200,
    );
    const publish = await req(`${base}/publish`, { method: 'POST' });
    expect(publish.status).toBe(422);
    expect(publish.body.error.details.map((d: Json) => d.code)).toContain('FOREIGN_MERGE_TAG');
  });

  it('an unsubscribe link only inside a comment is missing; base-url glued to an absolute link is named', async () => {
    const mjml = `<mjml><mj-body><mj-section><mj-column>
<!-- <mj-text><a href="{{unsubscribeUrl}}">Unsubscribe</a></mj-text> -->
<mj-navbar base-url="https://mjml.io"><mj-navbar-link href="https://mjml.io">Home</mj-navbar-link></mj-navbar>
</mj-column></mj-section></mj-body></mjml>`;
    const { body } = await preview(mjml);
    expect(codes(body.checks)).toEqual(['error:UNSUBSCRIBE_LINK_MISSING', 'error:LINK_MALFORMED@3']);
    expect(body.checks[1].message).toContain('https://mjml.iohttps://mjml.io');
  });

  it('a template over the size limit is a check error, not a hung request; 80 KB+ renders', async () => {
    const big = largeCatalogue();
    expect(big.length).toBeGreaterThan(80 * 1024);
    const ok = await preview(big);
    expect(ok.status).toBe(200);
    expect(codes(ok.body.checks)).toEqual(['warning:HTML_TOO_LARGE']);
    const huge = largeCatalogue(400);
    expect(huge.length).toBeGreaterThan(deps.config.render.maxBytes);
    const refused = await preview(huge);
    expect(refused.status).toBe(200);
    expect(refused.body.checks.map((c: Json) => c.code)).toContain('TOO_LARGE');
  });

  it('saving unchanged content makes no version; the editor page compiles nothing a save already compiled', async () => {
    const source = await fixture('newsletter-crlf.mjml');
    const first = await req(base, { method: 'PUT', body: JSON.stringify({ subject: 'Summer', mjml: source }) });
    const again = await req(base, { method: 'PUT', body: JSON.stringify({ subject: 'Summer', mjml: source }) });
    expect(again.body.version).toBe(first.body.version);
    const stored = await req(base);
    expect(stored.body.mjml).toBe(source);
    const compiles = deps.services.renderer.compileCount;
    const page = await app.request(`/admin/templates/back-in-stock/en`, { headers: { cookie: editor.cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    // The source travels as JSON (CRLF intact), and the page's first preview came from the cache.
    expect(html).toContain('\\r\\n');
    expect(deps.services.renderer.compileCount).toBe(compiles);
    expect(deps.services.renderPool?.stats.runs).toBeGreaterThan(0);
  });
});
