import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSX } from 'hono/jsx/jsx-runtime';

/**
 * Sends a rendered page. `Referrer-Policy: no-referrer` keeps tokens in our URLs (confirm,
 * unsubscribe) from leaking to other sites; the CSP allows our stylesheet and no scripts at all, and
 * no framing (it replaces the default CSP whole, security-headers.ts).
 */
export async function sendPage(
  c: Context,
  page: JSX.Element,
  status: ContentfulStatusCode = 200,
  headers: Record<string, string> = {},
): Promise<Response> {
  return c.html(await page.toString(), status, {
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy':
      "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    'Cache-Control': 'no-store',
    ...headers,
  });
}
