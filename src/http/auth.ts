import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Scope } from '../config.js';
import type { Deps } from '../deps.js';
import { anyLiveApiToken, findApiToken, touchApiToken } from '../domain/api-tokens/find-api-token.js';
import { AppError } from '../errors.js';
import type { AppEnv } from './context.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Said by every 401 (and once in the start-up log) while no token exists at all: what to do, and how. */
export const NO_TOKENS_MESSAGE =
  'No API tokens are configured on this service, so no token can be accepted. Create one in the console (/admin/api-tokens, admin role), ' +
  'or set API_TOKENS to comma-separated scope:token pairs (scopes inventory, admin, marketing; tokens of 8+ characters), ' +
  'e.g. API_TOKENS=inventory:<token>,admin:<token>, and restart.';

/** `last_used_at` of a console-made token is written at most this often (not on every request). */
const LAST_USED_EVERY_MS = 60_000;

/** A recognised bearer token: its scopes, and how it is named in the history of what it changed. */
type BearerCaller = { scopes: Scope[]; by: string };
export type BearerCheck = (authorization: string | undefined) => Promise<BearerCaller | 'missing'>;

/**
 * Recognises bearer tokens: those of API_TOKENS (in memory, compared as SHA-256 digests with
 * `timingSafeEqual`, every one checked so the timing does not depend on which matched) and those
 * created in the console (`rnt_…`, looked up by prefix and compared the same way; only such a token
 * costs a query). Answers the caller, or `missing` without an `Authorization: Bearer` header.
 * @throws AppError UNAUTHORIZED for an unknown or revoked token (NO_TOKENS_MESSAGE when none exist at all).
 */
export function bearerCheck(deps: Pick<Deps, 'config' | 'db' | 'clock'>): BearerCheck {
  const known = deps.config.apiTokens.map((t) => ({ scope: t.scope, hash: digest(t.token) }));
  return async (header) => {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match?.[1]) return 'missing';
    const presented = digest(match[1]);
    const scopes: Scope[] = [];
    for (const t of known) if (timingSafeEqual(t.hash, presented)) scopes.push(t.scope);
    if (scopes.length > 0) return { scopes, by: `token:${scopes[0]}` };
    const stored = await findApiToken(deps, { token: match[1] });
    if (stored?.revoked) throw new AppError('UNAUTHORIZED', 'This API token has been revoked.');
    if (stored) {
      const now = deps.clock.now().getTime();
      if (!stored.lastUsedAt || now - stored.lastUsedAt.getTime() >= LAST_USED_EVERY_MS)
        await touchApiToken(deps, { id: stored.id, everyMs: LAST_USED_EVERY_MS });
      return { scopes: [stored.scope], by: `token:${stored.name}` };
    }
    if (known.length === 0 && !(await anyLiveApiToken(deps))) throw new AppError('UNAUTHORIZED', NO_TOKENS_MESSAGE);
    throw new AppError('UNAUTHORIZED', 'The bearer token is not valid.');
  };
}

/**
 * Bearer-token auth for integration and admin routes. Missing/unknown/revoked token → 401 (saying
 * so when no token exists at all); a valid token without one of the allowed scopes → 403. A caller
 * already let in by `adminAccess` (a console session) is checked against `allowed` by its role
 * instead, so a route may keep this guard.
 */
export function requireScope(
  deps: Pick<Deps, 'config' | 'db' | 'clock'>,
  ...allowed: Scope[]
): MiddlewareHandler<AppEnv> {
  const check = bearerCheck(deps);
  return async (c, next) => {
    const already = c.get('principal');
    if (already) {
      const ok = allowed.includes(already.scope) || (already.scope === 'admin' && allowed.includes('marketing'));
      if (!ok) throw new AppError('FORBIDDEN', `This requires the scope ${allowed.join(' or ')}.`);
      return next();
    }
    const caller = await check(c.req.header('authorization'));
    if (caller === 'missing') {
      const none = deps.config.apiTokens.length === 0 && !(await anyLiveApiToken(deps));
      throw new AppError(
        'UNAUTHORIZED',
        none ? NO_TOKENS_MESSAGE : 'A bearer token is required (Authorization: Bearer <token>).',
      );
    }
    const scope = caller.scopes.find((s) => allowed.includes(s));
    if (!scope) throw new AppError('FORBIDDEN', `This token lacks the required scope (${allowed.join(' or ')}).`);
    c.set('principal', { scope, via: 'token', by: caller.by });
    await next();
  };
}
