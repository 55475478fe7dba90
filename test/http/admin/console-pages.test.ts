import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { loginAs, type ConsoleSession } from './console-helpers.js';

/** The console's server-rendered pages and assets through `app.request()` (no browser, no script). */
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let marketing: ConsoleSession;
let admin: ConsoleSession;

const pages = [
  '/admin/templates',
  '/admin/templates/back-in-stock/en',
  '/admin/templates/back-in-stock/en/history',
  '/admin/branding',
  '/admin/demand',
  '/admin/deliveries',
  '/admin/backlog',
  '/admin/subscribers',
  '/admin/suppressions',
  '/admin/mailbox',
];

beforeAll(async () => {
  deps = await createTestDeps();
  deps.clock.set(Date.now());
  app = createApp(deps, deps.services);
  marketing = await loginAs(app, deps, 'marketing');
  admin = await loginAs(app, deps, 'admin', '192.0.2.2');
}, 60_000);
afterAll(() => deps?.close());

const get = (path: string, s?: ConsoleSession, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { ...(s ? { cookie: s.cookie } : {}), ...headers } });

describe('console pages', () => {
  it('send a visitor without a session to the login form, and back afterwards', async () => {
    for (const path of ['/admin', ...pages]) {
      const res = await get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(300);
      expect(res.status, path).toBeLessThan(400);
      expect(res.headers.get('location'), path).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('render for a signed-in user with a strict CSP, the CSRF token for scripts, and no cache', async () => {
    for (const path of pages) {
      const res = await get(path, admin);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      const body = await res.text();
      expect(body, path).toContain(`<meta name="csrf-token" content="${admin.csrf}"`);
      expect(body, path).not.toMatch(/<script>(?!<\/script>)/); // no inline script: CSP allows none
    }
  });

  it('show the editor readable without JavaScript: source, checks and a sandboxed preview rendered on the server', async () => {
    const body = await (await get('/admin/templates/back-in-stock/en', marketing)).text();
    expect(body).toContain('<textarea id="mjml"');
    expect(body).toContain('&lt;mjml');
    const frame = /<iframe id="preview-frame"[^>]*>/.exec(body)?.[0] ?? '';
    // Same origin so the console's script can map a click in the preview to its field; never scripts.
    expect(frame).toContain('sandbox="allow-same-origin"');
    expect(frame).not.toContain('allow-scripts');
    // The source also travels as JSON, where CRLF survives (an HTML textarea would normalise it).
    expect(body).toContain('<script type="application/json" id="editor-source">');
    // The srcdoc carries its own CSP and the rendered email (escaped inside the attribute).
    expect(frame).toContain('Content-Security-Policy');
    expect(frame).toMatch(/default-src (&#39;|')none(&#39;|')/);
    expect(frame).toMatch(/is back/);
  });

  it('hide admin-only parts from marketing staff, and say so when they open an admin page', async () => {
    const list = await (await get('/admin/templates', marketing)).text();
    expect(list).not.toContain('href="/admin/suppressions"');
    expect(await (await get('/admin/templates', admin)).text()).toContain('href="/admin/suppressions"');
    const page = await (await get('/admin/suppressions', marketing)).text();
    expect(page).toContain('Your role does not allow this page');
  });

  it('serve the bundled scripts and the stylesheet under content hashes, cached for a year, gzipped on request', async () => {
    const body = await (await get('/admin/templates/back-in-stock/en', marketing)).text();
    const urls = [...body.matchAll(/(?:src|href)="(\/admin\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(urls.map((u) => u.replace(/\.[0-9a-f]{12}\./, '.*.'))).toEqual(
      expect.arrayContaining([
        '/admin/assets/console.*.css',
        '/admin/assets/console.*.js',
        '/admin/assets/editor.*.js',
      ]),
    );
    const editor = urls.find((u) => u.includes('editor'))!;
    const res = await get(editor, undefined, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const plain = await get(editor);
    const js = await plain.text();
    expect(js).toContain('cm-editor'); // CodeMirror is in the bundle, not loaded from elsewhere
    expect(js).not.toMatch(/https?:\/\/(cdn|unpkg|esm\.sh|jsdelivr)/);
    expect((await get(editor, undefined, { 'if-none-match': plain.headers.get('etag')! })).status).toBe(304);
    // An outdated hash still gets the file (a page cached across a deploy) but not the year-long cache.
    const stale = await get(editor.replace(/\.[0-9a-f]{12}\./, '.000000000000.'));
    expect(stale.status).toBe(200);
    expect(stale.headers.get('cache-control')).toBe('no-cache');
    expect((await get('/admin/assets/nope.000000000000.js')).status).toBe(404);
  }, 60_000);
});
