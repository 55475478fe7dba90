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

/**
 * Bearer-token auth for integration and admin routes. Tokens are compared as SHA-256 digests with
 * `timingSafeEqual`, so neither content nor length leaks through timing. Missing/unknown token → 401;
 * a valid token without one of the allowed scopes → 403.
 */
export function requireScope(config: Pick<Config, 'apiTokens'>, ...allowed: Scope[]): MiddlewareHandler<AppEnv> {
  const known = config.apiTokens.map((t) => ({ scope: t.scope, hash: digest(t.token) }));
  return async (c, next) => {
    if (known.length === 0) throw new AppError('UNAUTHORIZED', NO_TOKENS_MESSAGE);
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
