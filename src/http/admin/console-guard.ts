import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Deps } from '../../deps.js';
import { resolveSession } from '../../domain/sessions/resolve-session.js';
import { AppError } from '../../errors.js';
import { csrfMatches, SESSION_COOKIE, sessionPrincipal } from '../admin-access.js';
import type { AppEnv } from '../context.js';

/**
 * For the console's HTML pages (`/admin`, `/admin/…` except login): without a live session the
 * browser is sent to the login form (303, `next` = the page asked for); with one, `principal` is set
 * like on the JSON API (`principal.session.csrfToken` goes into the page for its scripts and forms).
 * A form post (`POST`) must carry `_csrf` (or `X-CSRF-Token`).
 */
export function requireConsoleSession(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    const session = cookie ? await resolveSession(deps, { sessionId: cookie }) : undefined;
    if (!session) {
      const target = c.req.method === 'GET' ? `?next=${encodeURIComponent(c.req.path)}` : '';
      return c.redirect(`/admin/login${target}`, 303);
    }
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      let presented = c.req.header('x-csrf-token');
      if (!presented && /form/.test(c.req.header('content-type') ?? '')) {
        const form = await c.req.parseBody();
        presented = typeof form._csrf === 'string' ? form._csrf : undefined;
      }
      if (!csrfMatches(session.csrfToken, presented))
        throw new AppError('CSRF_INVALID', 'The form is out of date; reload the page and try again.');
    }
    c.set('principal', sessionPrincipal(session));
    return next();
  };
}
