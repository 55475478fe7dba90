import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../src/domain/users/create-user.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { fromIp, uniqueEmail } from '../../helpers/signup-fixtures.js';
import { asSession, cookiesOf, loginAs, loginForm, postLogin } from './console-helpers.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  deps = await createTestDeps({
    env: { ADMIN_LOGIN_RATE_LIMIT_PER_ACCOUNT: '3', ADMIN_LOGIN_RATE_LIMIT_PER_IP: '50' },
  });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

describe('console login', () => {
  it('serves a form with its own CSRF field and cookie', async () => {
    const res = await app.request('/admin/login');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('action="/admin/login"');
    expect(html).toMatch(/name="_csrf" value="[A-Za-z0-9_-]{20,}"/);
    expect(res.headers.get('set-cookie')).toMatch(/rn_login_csrf=.*HttpOnly/i);
  });

  it('logs in: 303 to /admin with an HttpOnly, SameSite=Lax, Secure session cookie', async () => {
    const email = uniqueEmail('ok');
    await createUser(deps, { email, password: 'a long enough password', role: 'marketing' });
    const res = await postLogin(app, { email: email.toUpperCase(), password: 'a long enough password' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const line = res.headers.getSetCookie().find((l) => l.startsWith('rn_session='));
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Lax/i);
    expect(line).toMatch(/Secure/i); // PUBLIC_BASE_URL is https in tests
    expect(line).toMatch(/Path=\//);
    const me = await app.request('/api/v1/admin/session', {
      headers: { cookie: `rn_session=${cookiesOf(res).rn_session}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ via: 'session', scope: 'marketing', user: { email } });
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const email = uniqueEmail('wrong');
    await createUser(deps, { email, password: 'a long enough password', role: 'admin' });
    const wrong = await postLogin(app, { email, password: 'not the password' }, '198.51.100.7');
    const unknown = await postLogin(
      app,
      { email: uniqueEmail('nobody'), password: 'not the password' },
      '198.51.100.7',
    );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = (await wrong.text()).match(/role="alert"[^>]*>([^<]+)</)?.[1];
    const b = (await unknown.text()).match(/role="alert"[^>]*>([^<]+)</)?.[1];
    expect(a).toBeTruthy();
    expect(a).toBe(b);
    expect(wrong.headers.getSetCookie().some((l) => l.startsWith('rn_session='))).toBe(false);
  });

  it('refuses a post without the form token', async () => {
    const email = uniqueEmail('csrf');
    await createUser(deps, { email, password: 'a long enough password', role: 'admin' });
    const res = await app.request('/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password: 'a long enough password' }).toString(),
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((l) => l.startsWith('rn_session='))).toBe(false);
  });

  it('failures elsewhere do not lock the owner out; failures from one place slow only that place', async () => {
    const email = uniqueEmail('limited');
    await createUser(deps, { email, password: 'a long enough password', role: 'admin' });
    for (let i = 0; i < 3; i++)
      expect((await postLogin(app, { email, password: 'guess guess guess' }, '203.0.113.1')).status).toBe(401);
    const blocked = await postLogin(app, { email, password: 'a long enough password' }, '203.0.113.1');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBe(30);
    // The owner, from their own address, is not affected.
    expect((await postLogin(app, { email, password: 'a long enough password' }, '203.0.113.99')).status).toBe(303);
    deps.clock.advance(30_000);
    expect((await postLogin(app, { email, password: 'a long enough password' }, '203.0.113.1')).status).toBe(303);
  });

  it('does not redirect off-site after login', async () => {
    const email = uniqueEmail('next');
    await createUser(deps, { email, password: 'a long enough password', role: 'admin' });
    const form = await loginForm(app);
    const res = await app.request(
      '/admin/login',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
        body: new URLSearchParams({
          email,
          password: 'a long enough password',
          _csrf: form.csrf,
          next: '//evil.example/admin',
        }).toString(),
      },
      fromIp('192.0.2.50'),
    );
    expect(res.headers.get('location')).toBe('/admin');
  });

  it('logs out: the session is revoked server-side (the old cookie stops working)', async () => {
    const s = await loginAs(app, deps, 'marketing', '192.0.2.60');
    const noToken = await app.request('/admin/logout', { method: 'POST', headers: { cookie: s.cookie } });
    expect(noToken.status).toBe(403);
    const res = await app.request('/admin/logout', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: s.csrf }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/login');
    expect((await app.request('/api/v1/admin/session', { headers: { cookie: s.cookie } })).status).toBe(401);
  });

  it('a disabled user loses their sessions at once', async () => {
    const target = await loginAs(app, deps, 'marketing', '192.0.2.61');
    const admin = await loginAs(app, deps, 'admin', '192.0.2.62');
    const list = (await (await app.request('/api/v1/admin/users', { headers: asSession(admin) })).json()) as {
      users: { id: number; email: string }[];
    };
    const id = list.users.find((u) => u.email === target.email)?.id;
    const res = await app.request(`/api/v1/admin/users/${id}`, {
      method: 'PATCH',
      headers: asSession(admin),
      body: JSON.stringify({ disabled: true }),
    });
    expect(res.status).toBe(200);
    expect((await app.request('/api/v1/admin/session', { headers: { cookie: target.cookie } })).status).toBe(401);
  });

  it('a session expires after ADMIN_SESSION_HOURS idle', async () => {
    const s = await loginAs(app, deps, 'marketing', '192.0.2.63');
    deps.clock.advance(13 * 3600_000);
    expect((await app.request('/api/v1/admin/session', { headers: { cookie: s.cookie } })).status).toBe(401);
  });
});
