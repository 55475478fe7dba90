import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Config, Scope } from '../config.js';
import { AppError } from '../errors.js';
import type { AppEnv } from './env.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Bearer-token auth for integration and admin routes. Tokens are compared as SHA-256 digests with
 * `timingSafeEqual`, so neither content nor length leaks through timing. Missing/unknown token → 401;
 * a valid token without one of the allowed scopes → 403.
 */
export function requireScope(config: Pick<Config, 'apiTokens'>, ...allowed: Scope[]): MiddlewareHandler<AppEnv> {
  const known = config.apiTokens.map((t) => ({ scope: t.scope, hash: digest(t.token) }));
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new AppError('UNAUTHORIZED', 'A bearer token is required (Authorization: Bearer <token>).');
    const presented = digest(match[1]);
    // Check every token (no early exit) so the time taken does not depend on which one matched.
    let scopes: Scope[] = [];
    for (const t of known) if (timingSafeEqual(t.hash, presented)) scopes = [...scopes, t.scope];
    if (scopes.length === 0) throw new AppError('UNAUTHORIZED', 'The bearer token is not valid.');
    const scope = scopes.find((s) => allowed.includes(s));
    if (!scope) throw new AppError('FORBIDDEN', `This token lacks the required scope (${allowed.join(' or ')}).`);
    c.set('principal', { scope });
    await next();
  };
}
