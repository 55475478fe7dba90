/**
 * What keeps personal data and secrets out of log lines (issue 11: an error line carried a failed
 * query's parameters — addresses, confirmation links — and a batch fallback logged every shopper of
 * the batch). Applied by the logger to every line, so no call site has to remember it:
 * - values under personal or secret keys (`email`, `to`, `token`, `confirmUrl`, `variables`, …) are
 *   replaced whole;
 * - every other string is scrubbed: email addresses, `token=`/`email=`-style query values, a failed
 *   query's `params:` list, and long opaque runs (tokens, hashes, signatures);
 * - errors are serialized with their `cause` chain (a driver error's code, detail and constraint,
 *   which tell an operator what the database refused), each part scrubbed the same way.
 */

const SECRET_KEY =
  /^(e?mail|emailNormalized|email_normalized|to|recipient|name|customerName|token|tokens|tokenHash|token_hash|password|secret|appSecret|authorization|cookie|set-cookie|confirmUrl|unsubscribeUrl|variables|params|parameters)$/i;
const EMAIL = /[^\s@<>"'`(),;:[\]\\]+@[^\s@<>"'`(),;:[\]\\]+\.[^\s@<>"'`(),;:[\]\\]+/g;
const QUERY_SECRET = /([?&;\s](?:token|email|key|secret|password|signature|sig)=)[^&\s"'<>]*/gi;
const OPAQUE = /[A-Za-z0-9_+/=-]{32,}/g;
// A request id (crypto.randomUUID, echoed in X-Request-Id) is what ties a log line to an answer: no
// token or secret of ours has this shape.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUERY_PARAMS = /\n\s*params:[\s\S]*$/;
const REDACTED = '[redacted]';

/** Removes addresses, secret query values, query parameters and long opaque runs from `s`. */
export function scrubText(s: string): string {
  return s
    .replace(QUERY_PARAMS, `\nparams: ${REDACTED}`)
    .replace(EMAIL, '[email]')
    .replace(QUERY_SECRET, `$1${REDACTED}`)
    .replace(OPAQUE, (run) => ((/^[a-z0-9_/-]+$/.test(run) && run.includes('/')) || UUID.test(run) ? run : REDACTED));
}

type Serialized = Record<string, unknown>;

/** An error as a log object: type, message, code, driver fields, stack, and its causes (scrubbed). */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return scrubValue(err, depth + 1);
  const e = err as Error & Record<string, unknown>;
  const out: Serialized = { type: e.name, message: scrubText(e.message ?? '') };
  for (const key of [
    'code',
    'severity',
    'detail',
    'hint',
    'constraint',
    'constraint_name',
    'table',
    'table_name',
    'column',
    'column_name',
    'routine',
    'status',
    'retryAfter',
  ]) {
    const v = e[key];
    if (typeof v === 'string' || typeof v === 'number') out[key] = typeof v === 'string' ? scrubText(v) : v;
  }
  if (typeof e.stack === 'string') out.stack = scrubText(e.stack);
  if (e.details !== undefined) out.details = scrubValue(e.details, depth + 1);
  if (e.cause !== undefined && depth < 4) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/** Deep copy of a log value with secret keys replaced and every string scrubbed (bounded depth). */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return serializeError(value, depth);
  if (value instanceof Date) return value;
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrubValue(v, depth + 1));
  const out: Serialized = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined ? REDACTED : scrubValue(v, depth + 1);
  return out;
}
