import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRouteScopes } from '../../../src/http/admin-access.js';
import { createApp } from '../../../src/http/app.js';
import { ADMIN_TOKEN, createTestDeps, INVENTORY_TOKEN, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { loginAs, type ConsoleSession } from './console-helpers.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let routes: { method: string; path: string; key: string }[];
let marketingSession: ConsoleSession;

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
  const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/admin'))
    .flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path, key: `${m.toUpperCase()} ${path}` })),
    );
  marketingSession = await loginAs(app, deps, 'marketing');
});
afterAll(() => deps.close());

const scopes = adminRouteScopes as Record<string, 'admin' | 'marketing'>;
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'x');
const call = (method: string, path: string, headers: Record<string, string> = {}) =>
  app.request(concrete(path), {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(MUTATING.has(method) ? { body: '{}' } : {}),
  });

describe('admin routes × credentials (table-driven from /openapi.json)', () => {
  it('finds the admin routes in the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
  });

  it('every admin route has an entry in adminRouteScopes (add one for a new route)', () => {
    const missing = routes.filter((r) => !(r.key in scopes)).map((r) => r.key);
    expect(missing).toEqual([]);
  });

  it('every admin route declares both security schemes', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['bearer', 'session']));
    for (const r of routes) expect(doc.paths[r.path]?.[r.method.toLowerCase()]?.security, r.key).toBeTruthy();
  });

  it('401 without credentials, on every admin route', async () => {
    for (const r of routes) {
      const res = await call(r.method, r.path);
      expect(res.status, r.key).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code, r.key).toBe('UNAUTHORIZED');
    }
  });

  it('401 with an unknown bearer token', async () => {
    for (const r of routes)
      expect((await call(r.method, r.path, { authorization: 'Bearer not-a-known-token' })).status, r.key).toBe(401);
  });

  it('403 with an inventory token, on every admin route', async () => {
    for (const r of routes)
      expect((await call(r.method, r.path, { authorization: `Bearer ${INVENTORY_TOKEN}` })).status, r.key).toBe(403);
  });

  it('marketing (token or session): 403 exactly on the admin-only routes', async () => {
    for (const r of routes) {
      const byToken = await call(r.method, r.path, { authorization: `Bearer ${MARKETING_TOKEN}` });
      const bySession = await call(r.method, r.path, {
        cookie: marketingSession.cookie,
        'x-csrf-token': marketingSession.csrf,
      });
      if (scopes[r.key] === 'admin') {
        expect(byToken.status, r.key).toBe(403);
        expect(bySession.status, r.key).toBe(403);
      } else {
        expect([401, 403], r.key).not.toContain(byToken.status);
        expect([401, 403], r.key).not.toContain(bySession.status);
      }
    }
  });

  it('an admin token passes every admin route (and placeholder input never causes a 5xx)', async () => {
    for (const r of routes) {
      const status = (await call(r.method, r.path, { authorization: `Bearer ${ADMIN_TOKEN}` })).status;
      expect([401, 403], r.key).not.toContain(status);
      expect(status, r.key).toBeLessThan(500);
    }
  });

  it('hostile input (NUL, control characters, huge numbers) never causes a 5xx', async () => {
    const nasty = '\u0000x\u0007\ud800';
    const body = JSON.stringify({
      email: nasty,
      subject: nasty,
      mjml: nasty,
      messages: { [nasty]: nasty },
      sku: nasty,
      to: nasty,
      version: 1e300,
      shopName: nasty,
      footerText: nasty,
      password: nasty,
      role: 'admin',
    });
    const inUrl = '%00x%07%ED%A0%80'; // NUL, BEL and a UTF-8-encoded lone surrogate
    const queries = [
      `?email=${inUrl}&q=${inUrl}&sku=${inUrl}&reason=${inUrl}`,
      '?offset=1e300&limit=1e300&version=1e300&days=1e300',
    ];
    for (const r of routes.flatMap((x) => queries.map((q) => ({ ...x, q })))) {
      const path = r.path.replace(/\{[^}]+\}/g, inUrl) + r.q;
      const res = await app.request(path, {
        method: r.method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        ...(MUTATING.has(r.method) ? { body } : {}),
      });
      expect(res.status, r.key).toBeLessThan(500);
    }
  });

  it('CSRF: every mutation with the session cookie but without X-CSRF-Token is refused', async () => {
    const admin = await loginAs(app, deps, 'admin', '192.0.2.2');
    for (const r of routes.filter((x) => MUTATING.has(x.method))) {
      for (const token of [undefined, 'wrong-token-wrong-token-wrong']) {
        const res = await call(r.method, r.path, { cookie: admin.cookie, ...(token ? { 'x-csrf-token': token } : {}) });
        expect(res.status, r.key).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code, r.key).toBe('CSRF_INVALID');
      }
      // With the token the same request gets past the check (whatever the route then says).
      const ok = await call(r.method, r.path, { cookie: admin.cookie, 'x-csrf-token': admin.csrf });
      expect([401, 403], r.key).not.toContain(ok.status);
    }
  });

  it('a bearer call needs no CSRF token', async () => {
    const res = await app.request('/api/v1/admin/branding', {
      method: 'PUT',
      headers: { authorization: `Bearer ${MARKETING_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ shopName: 'Token shop' }),
    });
    expect(res.status).toBe(200);
  });
});
