import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Config, Scope } from '../config.js';
import { AppError } from '../errors.js';
import type { AppEnv } from './env.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Said by every 401 (and once in the start-up log) while `API_TOKENS` is empty: what to set, and how. */
export const NO_TOKENS_MESSAGE =
  'No API tokens are configured on this service, so no token can be accepted. Set API_TOKENS to comma-separated scope:token pairs ' +
  '(scopes inventory, admin, marketing; tokens of 8+ characters), e.g. API_TOKENS=inventory:<token>,admin:<token>, and restart.';

export type BearerCheck = (authorization: string | undefined) => Scope[] | 'missing';

/**
 * Recognises the bearer tokens of API_TOKENS. Tokens are compared as SHA-256 digests with
 * `timingSafeEqual`, so neither content nor length leaks through timing. Answers the scopes of the
 * token (empty: not a known token), or `missing` without an `Authorization: Bearer` header.
 * @throws AppError UNAUTHORIZED with NO_TOKENS_MESSAGE for a presented token while none are configured.
 */
export function bearerCheck(config: Pick<Config, 'apiTokens'>): BearerCheck {
  const known = config.apiTokens.map((t) => ({ scope: t.scope, hash: digest(t.token) }));
  return (header) => {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match?.[1]) return 'missing';
    if (known.length === 0) throw new AppError('UNAUTHORIZED', NO_TOKENS_MESSAGE);
    const presented = digest(match[1]);
    // Check every token (no early exit) so the time taken does not depend on which one matched.
    const scopes: Scope[] = [];
    for (const t of known) if (timingSafeEqual(t.hash, presented)) scopes.push(t.scope);
    return scopes;
  };
}

/**
 * Bearer-token auth for integration and admin routes. Missing/unknown token → 401 (saying so when
 * API_TOKENS is empty); a valid token without one of the allowed scopes → 403. A caller already let
 * in by `adminAccess` (a console session) is checked against `allowed` by its role instead, so a
 * route may keep this guard.
 */
export function requireScope(config: Pick<Config, 'apiTokens'>, ...allowed: Scope[]): MiddlewareHandler<AppEnv> {
  const check = bearerCheck(config);
  const none = config.apiTokens.length === 0;
  return async (c, next) => {
    const already = c.get('principal');
    if (already) {
      const ok = allowed.includes(already.scope) || (already.scope === 'admin' && allowed.includes('marketing'));
      if (!ok) throw new AppError('FORBIDDEN', `This requires the scope ${allowed.join(' or ')}.`);
      return next();
    }
    if (none) throw new AppError('UNAUTHORIZED', NO_TOKENS_MESSAGE);
    const scopes = check(c.req.header('authorization'));
    if (scopes === 'missing') throw new AppError('UNAUTHORIZED', 'A bearer token is required (Authorization: Bearer <token>).');
    if (scopes.length === 0) throw new AppError('UNAUTHORIZED', 'The bearer token is not valid.');
    const scope = scopes.find((s) => allowed.includes(s));
    if (!scope) throw new AppError('FORBIDDEN', `This token lacks the required scope (${allowed.join(' or ')}).`);
    c.set('principal', { scope, via: 'token', by: `token:${scope}` });
    await next();
  };
}
