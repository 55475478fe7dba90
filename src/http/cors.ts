import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Config } from '../config.js';
import { nodeResponse, rawHeader } from './raw-headers.js';
import type { AppEnv } from './context.js';

/**
 * CORS for the two endpoints a storefront calls from the browser (signup, availability), preflight
 * included. Only origins listed in `ALLOWED_ORIGINS` (in development also PUBLIC_BASE_URL's origin,
 * localhost and 127.0.0.1 on any port) get `Access-Control-Allow-Origin`; any other
 * origin (and every origin when the list is empty) gets no CORS headers, so the browser refuses —
 * same-origin pages need none. No credentials: these endpoints use no cookies. Every answer says
 * `Vary: Origin` (it depends on the caller's origin, so a cache must not share it across origins).
 *
 * Preflights (OPTIONS) are hono's `cors`. Other requests get their two headers BEFORE the route
 * answers, preset on Node's response (`nodeResponse`, raw-headers.ts; `c.header` under `app.request()`):
 * hono's `cors` appends `Vary` after the answer exists, which makes @hono/node-server turn its light
 * response into a full WHATWG Response with a body stream — about a tenth of a signup's CPU.
 */
export function shopperCors(
  config: Pick<Config, 'allowedOrigins'> & Partial<Pick<Config, 'env' | 'publicBaseUrl'>>,
): MiddlewareHandler<AppEnv> {
  const allowed = new Set(config.allowedOrigins);
  // In development a widget opened at PUBLIC_BASE_URL's origin or on this machine works without setup.
  if (config.env === 'development' && config.publicBaseUrl) allowed.add(new URL(config.publicBaseUrl).origin);
  const local = config.env === 'development' ? /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/ : undefined;
  const isAllowed = (origin: string) => allowed.has(origin) || (local?.test(origin) ?? false);
  const preflight = cors({
    origin: (origin) => (isAllowed(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type'],
    maxAge: 600,
  });
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    const origin = rawHeader(c, 'origin');
    const allow = origin !== undefined && isAllowed(origin) ? origin : undefined;
    const outgoing = nodeResponse(c);
    if (outgoing) {
      if (allow) outgoing.setHeader('Access-Control-Allow-Origin', allow);
      outgoing.setHeader('Vary', 'Origin'); // these two routes set no Vary of their own
    } else {
      if (allow) c.header('Access-Control-Allow-Origin', allow);
      c.header('Vary', 'Origin', { append: true });
    }
    await next();
  };
}

/** The paths `shopperCors` applies to (hono path patterns). */
export const corsPaths = ['/api/v1/signups', '/api/v1/products/:sku/availability'] as const;
