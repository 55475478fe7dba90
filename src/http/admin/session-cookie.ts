import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.js';
import { SESSION_MAX_MS } from '../../domain/sessions/session-token.js';
import { SESSION_COOKIE } from '../admin-access.js';

/** The login form's own CSRF token (double submit: cookie + hidden field), before any session exists. */
export const LOGIN_CSRF_COOKIE = 'rn_login_csrf';

const secure = (config: Pick<Config, 'publicBaseUrl'>) => config.publicBaseUrl.startsWith('https:');

/**
 * `HttpOnly; SameSite=Lax; Path=/`, `Secure` when PUBLIC_BASE_URL is https. Max-Age (not Expires, so
 * clock skew cannot drop it) is the absolute session lifetime: the server decides the sliding idle
 * expiry, the browser only forgets the cookie eventually.
 */
export function setSessionCookie(c: Context, config: Pick<Config, 'publicBaseUrl'>, id: string): void {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: secure(config),
    path: '/',
    maxAge: SESSION_MAX_MS / 1000,
  });
}

export function clearSessionCookie(c: Context, config: Pick<Config, 'publicBaseUrl'>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(config), httpOnly: true, sameSite: 'Lax' });
}

/** The login form's token: reuses the cookie's value when the browser has one, so two tabs both work. */
export function loginCsrfToken(c: Context, config: Pick<Config, 'publicBaseUrl'>): string {
  const existing = getCookie(c, LOGIN_CSRF_COOKIE);
  const token = existing && /^[A-Za-z0-9_-]{20,64}$/.test(existing) ? existing : randomBytes(24).toString('base64url');
  // Strict: the token only ever travels with our own login form. Scoped to the login path.
  setCookie(c, LOGIN_CSRF_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: secure(config),
    path: '/admin/login',
    maxAge: 3600,
  });
  return token;
}
