import { getCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'node:crypto';
import type { Deps } from '../deps.js';
import { resolveSession } from '../domain/sessions/resolve-session.js';
import { AppError } from '../errors.js';
import { bearerCheck } from './auth.js';
import type { AppEnv } from './context.js';

export type AdminScope = 'admin' | 'marketing';

/**
 * THE table of who may call which admin route — the only place that says it. `marketing` routes are
 * open to admins too. The auth test walks /openapi.json and fails for an admin route missing here;
 * a request to an admin path that matches no entry needs `admin` (deny by default).
 */
export const adminRouteScopes = {
  'GET /api/v1/admin/session': 'marketing',
  'GET /api/v1/admin/templates': 'marketing',
  'GET /api/v1/admin/templates/{key}/{locale}': 'marketing',
  'PUT /api/v1/admin/templates/{key}/{locale}': 'marketing',
  'POST /api/v1/admin/templates/{key}/{locale}/preview': 'marketing',
  'POST /api/v1/admin/templates/{key}/{locale}/publish': 'marketing',
  'GET /api/v1/admin/templates/{key}/{locale}/versions': 'marketing',
  'POST /api/v1/admin/templates/{key}/{locale}/rollback': 'marketing',
  'POST /api/v1/admin/templates/{key}/{locale}/test-send': 'marketing',
  'GET /api/v1/admin/products': 'marketing',
  'GET /api/v1/admin/branding': 'marketing',
  'PUT /api/v1/admin/branding': 'marketing',
  'POST /api/v1/admin/branding/logo': 'marketing',
  'GET /api/v1/admin/settings': 'marketing',
  'PUT /api/v1/admin/settings': 'marketing',
  'GET /api/v1/admin/settings/changes': 'marketing',
  'GET /api/v1/admin/template-variables': 'marketing',
  'POST /api/v1/admin/template-variables': 'marketing',
  'DELETE /api/v1/admin/template-variables/{name}': 'marketing',
  'GET /api/v1/admin/reports/demand': 'marketing',
  'GET /api/v1/admin/reports/demand/{sku}/daily': 'marketing',
  'GET /api/v1/admin/reports/backlog': 'marketing',
  'GET /api/v1/admin/reports/deliveries': 'marketing',
  'GET /api/v1/admin/reports/results': 'marketing',
  'GET /api/v1/admin/subscribers': 'marketing',
  'GET /api/v1/admin/subscribers/export': 'admin',
  'POST /api/v1/admin/subscribers/erase': 'admin',
  'GET /api/v1/admin/suppressions': 'admin',
  'DELETE /api/v1/admin/suppressions': 'admin',
  'GET /api/v1/admin/mailbox': 'marketing',
  'GET /api/v1/admin/mailbox/{id}': 'marketing',
  'GET /api/v1/admin/users': 'admin',
  'POST /api/v1/admin/users': 'admin',
  'PATCH /api/v1/admin/users/{id}': 'admin',
  'DELETE /api/v1/admin/users/{id}/sessions': 'admin',
  'GET /api/v1/admin/api-tokens': 'admin',
  'POST /api/v1/admin/api-tokens': 'admin',
  'DELETE /api/v1/admin/api-tokens/{id}': 'admin',
  'POST /api/v1/admin/jobs/{name}/run': 'admin',
} as const satisfies Record<string, AdminScope>;

export const SESSION_COOKIE = 'rn_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type Entry = { method: string; pattern: RegExp; params: number; scope: AdminScope };
const entries: Entry[] = Object.entries(adminRouteScopes)
  .map(([key, scope]) => {
    const [method = '', path = ''] = key.split(' ');
    const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
    return { method, pattern, params: (path.match(/\{/g) ?? []).length, scope };
  })
  // Literal segments win over parameters (`/subscribers/export` before a `/subscribers/{x}`).
  .sort((a, b) => a.params - b.params);

/** The scope a request needs: its table entry, else `admin`. HEAD is checked as GET. */
function requiredScope(method: string, path: string): AdminScope {
  const m = method === 'HEAD' ? 'GET' : method;
  return entries.find((e) => e.method === m && e.pattern.test(path))?.scope ?? 'admin';
}

/** `admin` may do everything `marketing` may. */
const scopeAllows = (have: string, need: AdminScope) => have === 'admin' || have === need;

/**
 * Authentication and authorization for `/api/v1/admin/*`, before any route runs:
 * `Authorization: Bearer` (an API_TOKENS or console-made token of scope admin/marketing) or the console's session cookie.
 * No credentials → 401; a valid caller without the route's scope → 403. A mutation made with the
 * session cookie must carry the session's CSRF token in `X-CSRF-Token` (403 CSRF_INVALID otherwise);
 * bearer calls need none — a browser never attaches a bearer token by itself.
 */
export function adminAccess(deps: Deps): MiddlewareHandler<AppEnv> {
  const bearer = bearerCheck(deps);
  return async (c, next) => {
    const need = requiredScope(c.req.method, c.req.path);
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const caller = await bearer(authorization);
      if (caller === 'missing') throw new AppError('UNAUTHORIZED', 'The bearer token is not valid.');
      const scope = caller.scopes.find((s) => scopeAllows(s, need));
      if (!scope) throw new AppError('FORBIDDEN', `This needs the scope ${need}.`);
      c.set('principal', { scope, via: 'token', by: caller.by });
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    const session = cookie ? await resolveSession(deps, { sessionId: cookie }) : undefined;
    if (!session) {
      throw new AppError(
        'UNAUTHORIZED',
        'Log in at /admin/login, or send Authorization: Bearer <token> (an API token of scope admin or marketing).',
      );
    }
    if (!scopeAllows(session.user.role, need)) throw new AppError('FORBIDDEN', `This needs the role ${need}.`);
    if (!SAFE_METHODS.has(c.req.method) && !csrfMatches(session.csrfToken, c.req.header('x-csrf-token'))) {
      throw new AppError(
        'CSRF_INVALID',
        'The X-CSRF-Token header is missing or does not match this session (GET /api/v1/admin/session returns it).',
      );
    }
    c.set('principal', sessionPrincipal(session));
    return next();
  };
}

/** Constant-time comparison of the session's CSRF token with what the request sent. */
export function csrfMatches(expected: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request's principal for a resolved console session (API routes and console pages alike). */
export function sessionPrincipal(session: NonNullable<Awaited<ReturnType<typeof resolveSession>>>) {
  return {
    scope: session.user.role,
    via: 'session' as const,
    by: session.user.email,
    user: session.user,
    session: { idHash: session.idHash, csrfToken: session.csrfToken, expiresAt: session.expiresAt },
  };
}
