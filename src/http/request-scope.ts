import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../log.js';
import { observeRequest, routePattern } from '../metrics/http-metrics.js';
import type { Metrics } from '../metrics/metrics.js';
import { logRequest } from './access-log.js';
import type { Lifecycle } from '../runtime/lifecycle.js';
import type { AppEnv } from './context.js';
import { nodeResponse, rawHeader } from './raw-headers.js';
import { fillSecurityHeaders, SECURITY_HEADERS } from './security-headers.js';

/** A caller's `X-Request-Id` is kept only when it is short and plain, so it cannot inject into logs. */
const PLAIN_ID = /^[\w\-=]{1,128}$/;

/**
 * What every request gets, in one middleware (each middleware is one more async call, closure and
 * promise per request; as six they were ≈ a fifth of a signup's CPU):
 * - `c.var.requestId`: the caller's `X-Request-Id` when plain (PLAIN_ID), else a new UUID; the answer
 *   carries it back;
 * - `c.var.metrics`;
 * - the security headers (security-headers.ts) where the route set none of its own;
 * - `Connection: close` while the process drains (runtime/lifecycle.ts);
 * - the request's count and duration on /metrics and its access-log line (access-log.ts).
 *
 * Under @hono/node-server the headers are preset on Node's response (`nodeResponse`, raw-headers.ts),
 * where the route's own headers override them; under `app.request()` they are filled into the answer
 * afterwards, with the same rule (the route's own value wins).
 */
export function requestScope(options: {
  log: Logger;
  metrics: Metrics;
  lifecycle: Lifecycle;
}): MiddlewareHandler<AppEnv> {
  const { log, metrics, lifecycle } = options;
  return async (c, next) => {
    const started = performance.now();
    const given = rawHeader(c, 'x-request-id');
    const requestId = given !== undefined && PLAIN_ID.test(given) ? given : crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('metrics', metrics);
    const outgoing = nodeResponse(c);
    if (outgoing) {
      outgoing.setHeader('X-Request-Id', requestId);
      for (const [name, value] of SECURITY_HEADERS) outgoing.setHeader(name, value);
    }
    try {
      await next();
    } finally {
      if (outgoing) {
        // The answer is written after the app returns, so this still reaches it.
        if (lifecycle.draining && !outgoing.headersSent) outgoing.setHeader('Connection', 'close');
      } else {
        const headers = c.res.headers;
        if (!headers.has('X-Request-Id')) headers.set('X-Request-Id', requestId);
        fillSecurityHeaders(headers);
        if (lifecycle.draining) headers.set('Connection', 'close');
      }
      const ms = performance.now() - started;
      const line = {
        requestId,
        method: c.req.method,
        route: routePattern(c),
        status: c.res.status,
        ms: Math.round(ms),
      };
      observeRequest(metrics, line, ms / 1000);
      logRequest(log, line);
    }
  };
}
