import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { uniqueEmail } from '../../helpers/signup-fixtures.js';
import { asSession, cookiesOf, loginAs, postLogin, type ConsoleSession } from './console-helpers.js';

/** Console users through the admin API: generated passwords, roles, disabling, sessions, the last-admin guard. */
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let admin: ConsoleSession;

type UserAnswer = { user: { id: number; email: string; role: string; disabled: boolean }; password?: string };
type Listed = { id: number; email: string; activeSessions: number };

beforeAll(async () => {
  // Only the users this file makes: the last-admin guard counts them.
  deps = await createTestDeps({ env: { ADMIN_LOGIN_RATE_LIMIT_PER_IP: '100' } });
  app = createApp(deps, deps.services);
  admin = await loginAs(app, deps, 'admin');
});
afterAll(() => deps.close());

const call = (method: string, path: string, body?: unknown, as = admin) =>
  app.request(path, { method, headers: asSession(as), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const sessionOf = async (res: Response) => `rn_session=${cookiesOf(res).rn_session}`;
const listed = async () => ((await (await call('GET', '/api/v1/admin/users')).json()) as { users: Listed[] }).users;

describe('console users', () => {
  it('creates a user with a generated password shown once; it logs in; the list counts live sessions', async () => {
    const email = uniqueEmail('marketer');
    const res = await call('POST', '/api/v1/admin/users', { email, role: 'marketing' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const created = (await res.json()) as UserAnswer;
    expect(created.user).toMatchObject({ email, role: 'marketing', disabled: false });
    expect(created.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    // A typed password is never echoed.
    const typed = (await (
      await call('POST', '/api/v1/admin/users', {
        email: uniqueEmail('typed'),
        role: 'marketing',
        password: 'typed by the admin',
      })
    ).json()) as UserAnswer;
    expect(typed.password).toBeUndefined();

    expect((await listed()).find((u) => u.email === email)?.activeSessions).toBe(0);
    const login = await postLogin(app, { email, password: created.password! });
    expect(login.status).toBe(303);
    expect((await listed()).find((u) => u.email === email)?.activeSessions).toBe(1);
    expect(JSON.stringify(await listed())).not.toContain(created.password!);
    expect((await call('POST', '/api/v1/admin/users', { email, role: 'admin' })).status).toBe(409);
  });

  it("revoking a user's sessions logs them out everywhere (API and pages); they may log in again", async () => {
    const marketer = await loginAs(app, deps, 'marketing');
    const second = await postLogin(app, { email: marketer.email, password: 'correct horse battery' });
    const otherCookie = await sessionOf(second);
    const id = (await listed()).find((u) => u.email === marketer.email)!.id;
    const res = await call('DELETE', `/api/v1/admin/users/${id}/sessions`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 2 });
    for (const cookie of [marketer.cookie, otherCookie]) {
      expect((await app.request('/api/v1/admin/session', { headers: { cookie } })).status).toBe(401);
      const page = await app.request('/admin/templates', { headers: { cookie } });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toMatch(/^\/admin\/login/);
    }
    expect((await postLogin(app, { email: marketer.email, password: 'correct horse battery' })).status).toBe(303);
    expect((await call('DELETE', '/api/v1/admin/users/999999/sessions')).status).toBe(404);
  });

  it('reset password: a generated one replaces the old one and ends the sessions', async () => {
    const marketer = await loginAs(app, deps, 'marketing');
    const id = (await listed()).find((u) => u.email === marketer.email)!.id;
    const res = await call('PATCH', `/api/v1/admin/users/${id}`, { generatePassword: true });
    expect(res.status).toBe(200);
    const { password } = (await res.json()) as UserAnswer;
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect((await app.request('/api/v1/admin/session', { headers: { cookie: marketer.cookie } })).status).toBe(401);
    expect((await postLogin(app, { email: marketer.email, password: 'correct horse battery' })).status).not.toBe(303);
    expect((await postLogin(app, { email: marketer.email, password: password! })).status).toBe(303);
    expect(
      (await call('PATCH', `/api/v1/admin/users/${id}`, { generatePassword: true, password: 'another long one' }))
        .status,
    ).toBe(400);
  });

  it('the last enabled admin cannot demote or disable themself (409); with a second admin they can', async () => {
    const me = (await listed()).find((u) => u.email === admin.email)!.id;
    // Every other admin this file made is demoted first, so `admin` is the only one.
    for (const u of await listed())
      if (u.id !== me) await call('PATCH', `/api/v1/admin/users/${u.id}`, { role: 'marketing' });
    for (const change of [{ role: 'marketing' }, { disabled: true }]) {
      const res = await call('PATCH', `/api/v1/admin/users/${me}`, change);
      expect(res.status, JSON.stringify(change)).toBe(409);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toMatch(/last enabled admin/);
    }
    expect((await app.request('/api/v1/admin/session', { headers: { cookie: admin.cookie } })).status).toBe(200);
    const deputy = (await (
      await call('POST', '/api/v1/admin/users', { email: uniqueEmail('deputy'), role: 'admin' })
    ).json()) as UserAnswer;
    expect((await call('PATCH', `/api/v1/admin/users/${me}`, { role: 'marketing' })).status).toBe(200);
    // Now `admin` is marketing: the user routes are closed to them.
    expect((await call('GET', '/api/v1/admin/users')).status).toBe(403);
    // …and the deputy is the last admin.
    const deputyLogin = await postLogin(app, { email: deputy.user.email, password: deputy.password! });
    const cookie = await sessionOf(deputyLogin);
    const csrf = (
      (await (await app.request('/api/v1/admin/session', { headers: { cookie } })).json()) as { csrfToken: string }
    ).csrfToken;
    const res = await app.request(`/api/v1/admin/users/${deputy.user.id}`, {
      method: 'PATCH',
      headers: asSession({ email: deputy.user.email, cookie, csrf }),
      body: '{"disabled":true}',
    });
    expect(res.status).toBe(409);
  });
});
