import type { ServerOptions } from 'node:http';

export type ServerTimeouts = { headersMs: number; requestMs: number; keepAliveMs: number };

/**
 * Timeouts for a public endpoint (issue 11 point 5). Node's defaults let a client that trickles a
 * body hold a socket for 300 s; a signup body is under 1 KB, so a few seconds is generous even on a
 * bad mobile link:
 * - headers: 10 s to send the request line and headers (slowloris);
 * - request: 30 s for the whole request, headers and body;
 * - keep-alive: an idle connection is closed after 5 s (below the 60 s idle timeout of common proxies and
 *   load balancers, so the proxy never reuses a socket we are closing).
 * Node checks these every `connectionsCheckingInterval` (default 30 s): 1 s keeps the bound tight.
 */
export const defaultServerTimeouts: ServerTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 };

/** `serverOptions` for @hono/node-server's `serve()`. */
export function serverOptions(t: ServerTimeouts = defaultServerTimeouts): ServerOptions {
  return {
    headersTimeout: t.headersMs,
    requestTimeout: t.requestMs,
    keepAliveTimeout: t.keepAliveMs,
    connectionsCheckingInterval: Math.min(1_000, t.headersMs),
  };
}
