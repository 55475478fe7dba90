/**
 * Security headers on every answer (issue 11 point 14), as defaults a route may override:
 * - `X-Content-Type-Options: nosniff`: a JSON error is never sniffed into HTML or script;
 * - `Referrer-Policy: strict-origin-when-cross-origin` (pages with tokens in their URL set `no-referrer`);
 * - framing: `X-Frame-Options: DENY` plus `frame-ancestors 'none'` in the CSP — no page of ours is meant
 *   to be framed (clickjacking on the unsubscribe and order-choice buttons). The widget does not need
 *   framing: it renders in the shop's own page (shadow DOM). What it does need is
 *   `Cross-Origin-Resource-Policy: cross-origin` on /widget.js and CORS on two APIs, which their routes
 *   set; everything else is `same-site`.
 *
 * A route that sends its own `Content-Security-Policy` replaces the default one whole, so it says
 * `frame-ancestors 'none'` itself (test/http/http-hardening.test.ts checks every page).
 * Applied by the request scope (request-scope.ts).
 */
export const SECURITY_HEADERS: readonly (readonly [name: string, value: string])[] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Resource-Policy', 'same-site'],
  ['Content-Security-Policy', "frame-ancestors 'none'"],
];

/** Sets each security header the answer does not carry already (the route's own choice wins). */
export function fillSecurityHeaders(headers: Headers): void {
  for (const [name, value] of SECURITY_HEADERS) if (!headers.has(name)) headers.set(name, value);
}
