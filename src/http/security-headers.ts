import type { MiddlewareHandler } from 'hono';

/**
 * Security headers on every answer (issue 11 point 14), set only where a route did not choose its own:
 * - `X-Content-Type-Options: nosniff`: a JSON error is never sniffed into HTML or script;
 * - `Referrer-Policy: strict-origin-when-cross-origin` (pages with tokens in their URL set `no-referrer`);
 * - framing: `X-Frame-Options: DENY` plus `frame-ancestors 'none'` in the CSP — no page of ours is meant
 *   to be framed (clickjacking on the unsubscribe and order-choice buttons). The widget does not need
 *   framing: it renders in the shop's own page (shadow DOM). What it does need is
 *   `Cross-Origin-Resource-Policy: cross-origin` on /widget.js and CORS on two APIs, which their routes
 *   set; everything else is `same-site`.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    const setDefault = (name: string, value: string) => {
      if (!h.has(name)) h.set(name, value);
    };
    setDefault('X-Content-Type-Options', 'nosniff');
    setDefault('Referrer-Policy', 'strict-origin-when-cross-origin');
    setDefault('X-Frame-Options', 'DENY');
    setDefault('Cross-Origin-Resource-Policy', 'same-site');
    const csp = h.get('Content-Security-Policy');
    if (!csp) h.set('Content-Security-Policy', "frame-ancestors 'none'");
    else if (!/frame-ancestors/i.test(csp)) h.set('Content-Security-Policy', `${csp}; frame-ancestors 'none'`);
  };
}
