import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Config } from '../config.js';
import type { AppEnv } from './env.js';

/**
 * CORS for the two endpoints a storefront calls from the browser (signup, availability), preflight
 * included. Only origins listed in `ALLOWED_ORIGINS` get `Access-Control-Allow-Origin`; any other
 * origin (and every origin when the list is empty) gets no CORS headers, so the browser refuses —
 * same-origin pages need none. No credentials: these endpoints use no cookies.
 */
export function shopperCors(config: Pick<Config, 'allowedOrigins'>): MiddlewareHandler<AppEnv> {
  const allowed = new Set(config.allowedOrigins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type'],
    maxAge: 600,
  });
}

/** The paths `shopperCors` applies to (hono path patterns). */
export const corsPaths = ['/api/v1/signups', '/api/v1/products/:sku/availability'] as const;
