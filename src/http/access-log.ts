import type { Logger } from '../log.js';

/** A request slower than this is logged at `warn` whatever LOG_LEVEL says below it. */
const SLOW_REQUEST_MS = 1000;

/**
 * One line per request at `debug` (`LOG_LEVEL=debug` gives a full access log), and a `slow request`
 * line at `warn` for any request that took ≥ SLOW_REQUEST_MS. Not at `info`: per request it cost
 * ≈ 10 % of a signup's CPU (build, scrub, serialize, write), and what an operator watches per route —
 * counts, statuses, latency — is on GET /metrics already (`http_request_duration_seconds`); 5xx are
 * logged with their error by the app's error handler.
 * The line carries the route PATTERN, never the raw path (a token or address may sit in a path),
 * and the request id that the answer's `X-Request-Id` header carries. Called by the request scope (request-scope.ts).
 */
export function logRequest(
  log: Logger,
  line: { requestId: string; method: string; route: string; status: number; ms: number },
): void {
  const slow = line.ms >= SLOW_REQUEST_MS;
  if (slow) log.warn(line, 'slow request');
  else if (log.isLevelEnabled('debug')) log.debug(line, 'request');
}
