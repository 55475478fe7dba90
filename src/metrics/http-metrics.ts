import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Metrics, SignupOutcome } from './metrics.js';

/**
 * Counts a request by method, route PATTERN and status, with its duration (the request scope calls it
 * for every request): `/api/v1/products/:sku/availability`, never the raw path (one series per SKU
 * would grow without bound). A request no route matched is `unmatched`.
 */
export function observeRequest(
  metrics: Metrics,
  request: { method: string; route: string; status: number },
  seconds: number,
): void {
  metrics.httpRequestDuration.observe(
    { method: request.method, route: request.route, status: String(request.status) },
    seconds,
  );
}

/** The pattern of the route that answered (`/api/v1/products/:sku/availability`), or `unmatched`: bounded, and never a token or address from the path. */
export function routePattern(c: Context): string {
  const last = matchedRoutes(c)[c.req.routeIndex];
  return last && !(last.method === 'ALL' && /^\/?\*$/.test(last.path)) ? last.path : 'unmatched';
}

const outcomeByStatus: Record<number, SignupOutcome> = {
  201: 'created',
  200: 'existing',
  400: 'invalid',
  404: 'unknown_sku',
  409: 'in_stock',
  413: 'invalid',
  415: 'invalid',
  429: 'rate_limited',
};

/**
 * Counts POST /api/v1/signups by outcome. The route names its outcome in `c.var.signupOutcome` where the
 * status cannot say it (a form post's 303, the honeypot's fake success); otherwise the status decides.
 */
export function observeSignups(metrics: Metrics): MiddlewareHandler<{ Variables: { signupOutcome?: SignupOutcome } }> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    await next();
    metrics.signups.inc({ outcome: c.get('signupOutcome') ?? outcomeByStatus[c.res.status] ?? 'error' });
  };
}
