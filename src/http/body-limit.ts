import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { rawHeader } from './raw-headers.js';

/**
 * BODY_LIMIT_BYTES for every route, without the cost hono's `bodyLimit` has on every request: it reads
 * `c.req.raw.body` first, which makes @hono/node-server build the full WHATWG Request (an undici
 * Request, an AbortSignal, a web stream over the socket) even for a GET — about a fifth of the CPU of
 * a small request. Same rules, in this order:
 * - GET and HEAD carry no body (@hono/node-server never reads one for them);
 * - a `Content-Length` without `Transfer-Encoding` is what Node's parser enforces: over the limit →
 *   `onError`, otherwise the body is read later by whoever needs it (exactly that many bytes);
 * - anything else (chunked) goes through hono's `bodyLimit`, which counts the bytes as they arrive.
 */
export function limitBody(maxSize: number, onError: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  const counting = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = rawHeader(c, 'content-length');
    if (length !== undefined && rawHeader(c, 'transfer-encoding') === undefined) {
      return Number.parseInt(length, 10) > maxSize ? onError(c) : next();
    }
    return counting(c, next);
  };
}
