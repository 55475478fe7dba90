import type { OpenAPIHono } from '@hono/zod-openapi';
import { createUser } from '../../../src/domain/users/create-user.js';
import type { AppEnv } from '../../../src/http/context.js';
import type { TestDeps } from '../../helpers/deps.js';
import { fromIp, uniqueEmail } from '../../helpers/signup-fixtures.js';

export type ConsoleSession = { email: string; cookie: string; csrf: string };

/** `name=value` pairs of every Set-Cookie of a response, for the next request's Cookie header. */
export function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const i = pair.indexOf('=');
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

/** The login form's CSRF cookie and field, as a browser would get them. */
export async function loginForm(app: OpenAPIHono<AppEnv>): Promise<{ cookie: string; csrf: string; html: string }> {
  const res = await app.request('/admin/login');
  const html = await res.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const cookie = `rn_login_csrf=${cookiesOf(res).rn_login_csrf}`;
  return { cookie, csrf, html };
}

export async function postLogin(
  app: OpenAPIHono<AppEnv>,
  fields: { email: string; password: string },
  ip = '192.0.2.1',
): Promise<Response> {
  const form = await loginForm(app);
  return app.request(
    '/admin/login',
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
      body: new URLSearchParams({ ...fields, _csrf: form.csrf }).toString(),
    },
    fromIp(ip),
  );
}

/** A new console user of `role`, logged in through the real form; with the session's CSRF token. */
export async function loginAs(
  app: OpenAPIHono<AppEnv>,
  deps: TestDeps,
  role: 'admin' | 'marketing',
  ip = '192.0.2.1',
): Promise<ConsoleSession> {
  const email = uniqueEmail(role);
  const password = 'correct horse battery';
  await createUser(deps, { email, password, role });
  const res = await postLogin(app, { email, password }, ip);
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  const cookie = `rn_session=${cookiesOf(res).rn_session}`;
  const me = (await (await app.request('/api/v1/admin/session', { headers: { cookie } })).json()) as {
    csrfToken: string;
  };
  return { email, cookie, csrf: me.csrfToken };
}

/** Headers for a console script's JSON call with the session (and its CSRF token). */
export const asSession = (s: ConsoleSession, extra: Record<string, string> = {}) => ({
  cookie: s.cookie,
  'x-csrf-token': s.csrf,
  'content-type': 'application/json',
  ...extra,
});

export const asToken = (token: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  ...extra,
});
