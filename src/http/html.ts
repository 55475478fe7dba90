import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Trusted markup: produced by `html\`…\`` (whose interpolations are escaped) or `rawHtml()`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => entities[ch] ?? ch);
}

/** Marks a string as already-safe markup. Only for constants, never for request or database data. */
export const rawHtml = (value: string) => new SafeHtml(value);

/**
 * Tagged template for HTML: every interpolated value is escaped unless it is SafeHtml (e.g. a nested
 * `html\`…\``); arrays are joined; null/undefined/false render nothing. Attribute values must be quoted.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(v);
}

const style = `
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;background:#f3f4f6;color:#111827;margin:0;padding:2rem 1rem;line-height:1.5}
main{max-width:32rem;margin:0 auto;background:#fff;border-radius:.75rem;padding:2rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:1.4rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=email],input[type=text]{width:100%;box-sizing:border-box;padding:.6rem;border:1px solid #d1d5db;border-radius:.4rem;font-size:1rem}
button{margin-top:1rem;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:#111827;color:#fff;font-size:1rem;cursor:pointer}
button.secondary{background:#fff;color:#111827;border:1px solid #111827}
.muted{color:#6b7280;font-size:.9rem}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
`;

export type PageOptions = { title: string; body: SafeHtml; status?: ContentfulStatusCode; headers?: Record<string, string> };

/**
 * One small page layout for every shopper-facing HTML answer. `Referrer-Policy: no-referrer` keeps
 * tokens in our URLs (confirm, unsubscribe) from leaking to other sites; the CSP allows no scripts.
 */
export function htmlPage(c: Context, options: PageOptions): Response {
  const doc = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${options.title}</title><style>${rawHtml(style)}</style></head>
<body><main>
${options.body}
</main></body></html>`;
  return c.html(doc.value, options.status ?? 200, {
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action 'self'; base-uri 'none'",
    'Cache-Control': 'no-store',
    ...options.headers,
  });
}

/** A friendly error page (4xx) with a heading, a sentence and an optional link back. */
export function errorPage(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  message: string,
  back?: { href: string; label: string },
  headers?: Record<string, string>,
): Response {
  return htmlPage(c, {
    title,
    status,
    headers,
    body: html`<h1>${title}</h1><p>${message}</p>${back ? html`<p><a href="${back.href}">${back.label}</a></p>` : ''}`,
  });
}
