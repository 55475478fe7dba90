import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Config, Scope } from '../config.js';
import { AppError } from '../errors.js';
import type { AppEnv } from './env.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

export type BearerCheck = (authorization: string | undefined) => Scope[] | 'missing';

/**
 * Recognises the bearer tokens of API_TOKENS. Tokens are compared as SHA-256 digests with
 * `timingSafeEqual`, so neither content nor length leaks through timing. Answers the scopes of the
 * token (empty: not a known token), or `missing` without an `Authorization: Bearer` header.
 */
export function bearerCheck(config: Pick<Config, 'apiTokens'>): BearerCheck {
  const known = config.apiTokens.map((t) => ({ scope: t.scope, hash: digest(t.token) }));
  return (header) => {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match?.[1]) return 'missing';
    const presented = digest(match[1]);
    // Check every token (no early exit) so the time taken does not depend on which one matched.
    const scopes: Scope[] = [];
    for (const t of known) if (timingSafeEqual(t.hash, presented)) scopes.push(t.scope);
    return scopes;
  };
}

/**
 * Bearer-token auth for integration and admin routes. Missing/unknown token → 401; a valid token
 * without one of the allowed scopes → 403. A caller already let in by `adminAccess` (a console
 * session) is checked against `allowed` by its role instead, so a route may keep this guard.
 */
export function requireScope(config: Pick<Config, 'apiTokens'>, ...allowed: Scope[]): MiddlewareHandler<AppEnv> {
  const check = bearerCheck(config);
  return async (c, next) => {
    const already = c.get('principal');
    if (already) {
      const ok = allowed.includes(already.scope) || (already.scope === 'admin' && allowed.includes('marketing'));
      if (!ok) throw new AppError('FORBIDDEN', `This requires the scope ${allowed.join(' or ')}.`);
      return next();
    }
    const scopes = check(c.req.header('authorization'));
    if (scopes === 'missing') throw new AppError('UNAUTHORIZED', 'A bearer token is required (Authorization: Bearer <token>).');
    if (scopes.length === 0) throw new AppError('UNAUTHORIZED', 'The bearer token is not valid.');
    const scope = scopes.find((s) => allowed.includes(s));
    if (!scope) throw new AppError('FORBIDDEN', `This token lacks the required scope (${allowed.join(' or ')}).`);
    c.set('principal', { scope, via: 'token', by: `token:${scope}` });
    await next();
  };
}
