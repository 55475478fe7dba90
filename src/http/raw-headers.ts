import type { Context } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';

type NodeBindings = { incoming?: IncomingMessage; outgoing?: ServerResponse };

/**
 * A request header read from Node's own request when the app runs under @hono/node-server (a plain
 * property lookup), else through hono (`app.request()` in tests). `c.req.header()` would build a
 * WHATWG `Headers` copy of every header first.
 */
export function rawHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  if (incoming?.headers) {
    const v = incoming.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  }
  return c.req.header(name);
}

/**
 * The Node response to preset headers on, when the app runs under @hono/node-server and nothing has
 * been written yet; undefined under `app.request()` (tests, the console's in-process API calls).
 *
 * Why preset: @hono/node-server answers with `writeHead(status, routeHeaders)`, and Node merges
 * headers set earlier with `setHeader` under those — the route's own value for a name wins. So a
 * default set here reaches every answer (a raw `Response` included) while a JSON answer stays a light
 * response with plain headers. Setting the same defaults through hono (`c.header`, or on `c.res`
 * afterwards) builds a WHATWG `Headers` for every answer and copies it out again.
 */
export function nodeResponse(c: Context): ServerResponse | undefined {
  const outgoing = (c.env as NodeBindings | undefined)?.outgoing;
  return outgoing && !outgoing.headersSent && typeof outgoing.setHeader === 'function' ? outgoing : undefined;
}
