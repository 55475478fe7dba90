import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Routes call `.openapi()` on these schemas. zod 4 copies methods onto each schema when it is
// created, so the method must exist before the first schema here is built — whichever module is
// imported first (a test may import this before the HTTP layer). The same extension
// @hono/zod-openapi applies; it is idempotent.
extendZodWithOpenApi(z);

/**
 * The one place that says what text this service accepts from outside (API bodies, path and query
 * parameters, webhooks, feeds, CSV). Every schema here rejects what PostgreSQL or a mail header
 * cannot carry safely, so a bad value is a 400 VALIDATION at the edge, never a 500 further in:
 * - NUL and other control characters (C0, DEL, C1): PostgreSQL refuses NUL in text ("invalid byte
 *   sequence"), CR/LF would end a mail header, the rest are invisible tricks;
 * - U+2028/U+2029 (line/paragraph separators: line breaks to some mail clients and JS parsers);
 * - lone UTF-16 surrogates (not encodable as UTF-8: the driver or the database fails on them);
 * - over-long values: every identifier is bounded far below PostgreSQL's btree entry limit
 *   (≈ 2,700 bytes), measured in characters after NFC (≤ 4 bytes each).
 * Text is NFC-normalized so "é" typed two ways is one value (one SKU, one name).
 */

// \p{Cc}: C0 controls, DEL, C1 controls. \u2028\u2029: Zl/Zp separators.
const FORBIDDEN = /[\p{Cc}\u2028\u2029\uFFFE\uFFFF]/u;
// The same set minus TAB, LF and CR, for multi-line text (template sources, long descriptions).
const FORBIDDEN_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\uFFFE\uFFFF]/u;

/** True when `s` has no lone surrogate (`String.prototype.isWellFormed`, spelled out for older libs). */
function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/** True when `s` is text this service would accept in a single-line field (any length). */
export function isSafeText(s: string): boolean {
  return isWellFormed(s) && !FORBIDDEN.test(s);
}

type TextOptions = {
  min?: number;
  max: number;
  /** Keep TAB/LF/CR (template sources, long descriptions). */
  multiline?: boolean;
  /** Turn line breaks and tabs into one space instead of refusing them (a spreadsheet cell typed on two lines). */
  collapse?: boolean;
  trim?: boolean;
};

/**
 * Free text (names, reasons, sources, subjects): well-formed, no control characters (TAB/LF/CR
 * allowed only with `multiline`), trimmed, NFC, `min`..`max` characters after normalization.
 */
export function safeText({ min = 0, max, multiline = false, collapse = false, trim = true }: TextOptions) {
  const forbidden = multiline ? FORBIDDEN_MULTILINE : FORBIDDEN;
  // The bound is checked on the input (so the OpenAPI document states it, and a huge string is
  // refused before any normalizing); NFC only ever shortens the common cases.
  const base = z.string().max(max, `must be at most ${max} characters`);
  return (collapse ? base.transform((s) => s.replace(/[\t\r\n\u2028\u2029]+/g, ' ')) : base)
    .refine(isWellFormed, 'must be valid Unicode text (no lone surrogates)')
    .refine(
      (s) => !forbidden.test(s),
      multiline ? 'must not contain control characters' : 'must not contain control characters or line breaks',
    )
    .transform((s) => (trim ? s.trim() : s).normalize('NFC'))
    .pipe(z.string().min(min, min <= 1 ? 'must not be empty' : `must be at least ${min} characters`));
}

/**
 * An identifier from outside (SKU, order id, delivery id, job name): 1..`max` printable
 * characters, no control characters or line breaks, trimmed, NFC. Spaces, `/` and `#` are allowed:
 * shops use them in SKUs (in a URL path they arrive percent-encoded).
 */
export const identifier = (max = 200) => safeText({ min: 1, max });

/** SKU/variant id: what products, subscriptions and backorders are keyed by. */
export const Sku = identifier(200);
/** A webhook delivery id header (Shopify `X-Shopify-Webhook-Id`, WooCommerce `X-WC-Webhook-Delivery-ID`). */
export const DeliveryId = identifier(200);

/** Calendar dates outside this range are typos or attacks (`0000-01-01`, `9999-12-31`), not plans. */
const MIN_DATE = '2000-01-01';
const MAX_DATE = '2100-12-31';

/** `YYYY-MM-DD`, a real calendar date (2026-02-30 is rejected), between 2000-01-01 and 2100-12-31. */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'must be a real calendar date')
  .refine((v) => v >= MIN_DATE && v <= MAX_DATE, `must be between ${MIN_DATE} and ${MAX_DATE}`);

/**
 * An ISO 8601 timestamp (with or without a zone; without one it is UTC) in the same sane range,
 * as a Date. Webhook payloads additionally check it against the clock (see `notInFuture`).
 */
export const Timestamp = z
  .string()
  .max(40)
  .regex(
    /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([zZ]|[+-]\d{2}:?\d{2})?$/,
    'must be an ISO 8601 timestamp',
  )
  .transform((v, ctx) => {
    const zoned = /([zZ]|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`;
    const d = new Date(zoned.replace(' ', 'T'));
    const day = Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
    if (!day || day < MIN_DATE || day > MAX_DATE) {
      ctx.addIssue({ code: 'custom', message: `must be a real time between ${MIN_DATE} and ${MAX_DATE}` });
      return z.NEVER;
    }
    return d;
  });

/** How far in the future a signed timestamp may be before it is refused (clock skew between systems). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** True when `at` is not beyond `now` + the allowed clock skew. */
export const notInFuture = (at: Date, now: Date, skewMs = MAX_CLOCK_SKEW_MS) => at.getTime() <= now.getTime() + skewMs;

/** An absolute http(s) URL (no `javascript:`, `data:`, `file:`), ≤ 2,000 characters, no control characters. */
export const HttpUrl = z
  .string()
  .max(2000, 'must be at most 2000 characters')
  .refine(isSafeText, 'must not contain control characters')
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' }));

/**
 * A shopper's name as it may appear in an email greeting: letters (any script), combining marks,
 * spaces, apostrophes, hyphens and dots, ≤ 60 characters. No digits, `@`, `/` or `:`, so no URL,
 * address or "call 0800…" fits in it: a name is not a channel for someone else's message.
 */
export const PersonName = safeText({ max: 60 }).pipe(
  z.string().regex(/^[\p{L}\p{M}' .’-]*$/u, "may only contain letters, spaces and ' - ."),
);

/** A BCP 47-ish language tag (`en`, `de-CH`), ≤ 35 characters. */
export const LanguageTag = z
  .string()
  .max(35)
  .regex(/^\s*[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*\s*$/, 'must be a language tag like en or de-CH')
  .transform((s) => s.trim());
