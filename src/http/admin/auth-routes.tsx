import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { Deps } from '../../deps.js';
import { eq } from 'drizzle-orm';
import { createCounterStore } from '../../db/counters.js';
import { users } from '../../db/schema/index.js';
import { createSession } from '../../domain/sessions/create-session.js';
import { resolveSession } from '../../domain/sessions/resolve-session.js';
import { revokeSession } from '../../domain/sessions/revoke-session.js';
import { authenticateUser } from '../../domain/users/authenticate-user.js';
import { csrfMatches, SESSION_COOKIE } from '../admin-access.js';
import { errorResponses } from '../openapi.js';
import { createRouter } from '../router.js';
import { clientIp, ipLimitKey } from '../rate-limit.js';
import { createLoginLimits } from './login-limits.js';
import { LoginPage, type LoginPageProps } from './login.js';
import { clearSessionCookie, loginCsrfToken, LOGIN_CSRF_COOKIE, setSessionCookie } from './session-cookie.js';

const LoginForm = z.object({
  email: z.string().optional(),
  password: z.string().optional(),
  _csrf: z.string().optional(),
  next: z.string().optional(),
});

const loginPage = createRoute({
  method: 'get',
  path: '/admin/login',
  tags: ['console'],
  summary: 'The console login form (HTML)',
  request: { query: z.object({ next: z.string().optional() }) },
  responses: { 200: { description: 'HTML form posting email, password and _csrf to POST /admin/login' } },
});

const login = createRoute({
  method: 'post',
  path: '/admin/login',
  tags: ['console'],
  summary: 'Log in: 303 to /admin with the session cookie, or the form again with an error',
  description:
    'Sets `rn_session` (HttpOnly, SameSite=Lax, Path=/, Secure when PUBLIC_BASE_URL is https). Wrong email and wrong password get the same answer. Only failed logins count, per (account, client IP) and per client IP (ADMIN_LOGIN_RATE_LIMIT_PER_ACCOUNT / _PER_IP free failures, then delays doubling from 30 s to 15 min; a success clears them): 429 with Retry-After while a delay runs.',
  request: { body: { content: { 'application/x-www-form-urlencoded': { schema: LoginForm } } } },
  responses: {
    303: { description: 'Logged in; Location: /admin (or the `next` console path)' },
    401: { description: 'HTML form again: email or password wrong' },
    403: { description: 'HTML form again: the form token expired' },
    429: { description: 'HTML form again: too many failed attempts, wait Retry-After seconds' },
    ...errorResponses([400, 'a form field is malformed'], [415, 'not a form post']),
  },
});

const logout = createRoute({
  method: 'post',
  path: '/admin/logout',
  tags: ['console'],
  summary: 'Log out: revokes the session server-side and clears the cookie',
  description: 'Needs the session CSRF token as form field `_csrf` or header `X-CSRF-Token`.',
  request: {
    body: { content: { 'application/x-www-form-urlencoded': { schema: z.object({ _csrf: z.string().optional() }) } } },
  },
  responses: {
    303: { description: 'Location: /admin/login' },
    403: { description: 'CSRF_INVALID' },
    ...errorResponses([400, 'a form field is malformed'], [415, 'not a form post']),
  },
});

/** Only console paths, never an absolute or protocol-relative URL (no open redirect). */
const safeNext = (next: string | undefined) =>
  next && /^\/admin(\/[^\s\\]*)?$/.test(next) && !next.startsWith('//') ? next : '/admin';

/** `GET/POST /admin/login` and `POST /admin/logout`. Login limits: src/http/admin/login-limits.ts. */
export function adminAuthRoutes(deps: Deps) {
  const app = createRouter();
  const { config } = deps;
  const limits = createLoginLimits(
    { counters: createCounterStore(deps.db, config.database.kind), clock: deps.clock },
    { perAccountIp: config.admin.loginRateLimitPerAccount, perIp: config.admin.loginRateLimitPerIp },
  );

  async function page(c: Context, status: 200 | 401 | 403 | 429, props: Omit<LoginPageProps, 'csrf' | 'hint'>) {
    let hint: string | undefined;
    if (config.env === 'development') {
      const [any] = await deps.db.select({ id: users.id }).from(users).limit(1);
      if (!any)
        hint = 'No console user yet: run `npm run admin:create`, or set ADMIN_EMAIL and ADMIN_PASSWORD and restart.';
    }
    c.header('Cache-Control', 'no-store');
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(<LoginPage csrf={loginCsrfToken(c, config)} hint={hint} {...props} />, status);
  }

  app.openapi(loginPage, (c) => page(c, 200, { next: c.req.valid('query').next }) as never);

  app.openapi(login, async (c) => {
    const form = c.req.valid('form');
    const email = (form.email ?? '').trim().toLowerCase();
    const next = form.next;
    const cookieToken = getCookie(c, LOGIN_CSRF_COOKIE);
    if (!cookieToken || !csrfMatches(cookieToken, form._csrf)) {
      return page(c, 403, { email, next, error: 'The form expired. Please log in again.' }) as never;
    }
    const ip = clientIp(c, config.signup.trustProxy);
    const ipKey = ipLimitKey(ip);
    // Control characters never belong to an address (and NUL would reach PostgreSQL): same answer as a wrong password.
    const plain = /^[^\u0000-\u001f\u007f]{1,254}$/.test(email) && (form.password ?? '').length <= 1000;
    const account = plain ? email : '(malformed)';
    const wait = await limits.wait(account, ipKey);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      const when = wait < 90 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`;
      return page(c, 429, { email, next, error: `Too many failed attempts. Try again in ${when}.` }) as never;
    }
    const user = plain && form.password ? await authenticateUser(deps, { email, password: form.password }) : undefined;
    if (!user) {
      await limits.failed(account, ipKey);
      // Account id (when the address is a user's) and client IP, never the address typed.
      const [known] = plain
        ? await deps.db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1)
        : [];
      deps.log.warn(
        { requestId: c.get('requestId'), event: 'admin-login-failed', userId: known?.id ?? null, ip },
        'console login failed',
      );
      return page(c, 401, { email, next, error: 'The email or password is not right.' }) as never;
    }
    await limits.succeeded(account, ipKey);
    const session = await createSession(deps, { userId: user.id });
    setSessionCookie(c, config, session.id);
    deleteCookie(c, LOGIN_CSRF_COOKIE, { path: '/admin/login' });
    deps.log.info({ requestId: c.get('requestId'), userId: user.id, event: 'admin-login' }, 'console login');
    return c.redirect(safeNext(next), 303) as never;
  });

  app.openapi(logout, async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    const session = cookie ? await resolveSession(deps, { sessionId: cookie }) : undefined;
    if (cookie && session) {
      const form = c.req.header('content-type')?.includes('form') ? c.req.valid('form') : {};
      const presented = c.req.header('x-csrf-token') ?? form._csrf;
      if (!csrfMatches(session.csrfToken, presented)) {
        return c.json(
          {
            error: {
              code: 'CSRF_INVALID',
              message: 'The CSRF token is missing or wrong.',
              requestId: c.get('requestId'),
            },
          },
          403,
        ) as never;
      }
      await revokeSession(deps, { sessionId: cookie });
    }
    clearSessionCookie(c, config);
    return c.redirect('/admin/login', 303) as never;
  });

  return app;
}
