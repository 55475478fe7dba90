/** What the ledger does with a failed attempt. */
export type FailureKind = 'retry' | 'hard-bounce' | 'failed' | 'unknown' | 'transport';

// System errors of a connection that never reached an SMTP session: nothing was sent.
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'ECONNABORTED',
]);
// nodemailer's set-up phases (connect, greeting, TLS upgrade); SOCKET_TIMEOUT is mid-session and not here.
const SETUP_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);
const TLS_CODE = /^(ERR_SSL|ERR_TLS|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_OSSL)/;

type SmtpError = {
  code?: string;
  originalCode?: string;
  timeoutType?: string;
  responseCode?: number;
  response?: string;
  message?: string;
  command?: string;
};

/**
 * SMTP semantics (RFC 5321): 4yz replies are transient → retry; a 5yz reply to RCPT TO means the
 * mailbox does not exist or refuses us → hard bounce (fail and suppress the address); other 5yz
 * (to MAIL FROM or DATA) are permanent for this message but say nothing about the address → fail.
 * A connection that drops without a reply may have dropped after the server took the message
 * (after DATA): the outcome is unknown, so it is retried once only, to bound duplicates.
 *
 * `transport`: the mail server could not be reached or refused the session before MAIL FROM
 * (connection refused, DNS, TLS, a set-up timeout, a greeting other than 220 such as 421, failed
 * authentication). Nothing about the recipient was learnt and nothing was sent: the attempt is
 * refunded and the sender's circuit breaker pauses the transport (src/sending/transport-breaker.ts);
 * such rows give up by age (DELIVERY_MAX_AGE_HOURS), never by a count a long outage would burn.
 */
export function classifyFailure(err: unknown): { kind: FailureKind; message: string; response?: string } {
  const e = (err ?? {}) as SmtpError;
  const message = (e.message ?? String(err)).slice(0, 1000);
  const response = typeof e.response === 'string' ? e.response.slice(0, 1000) : undefined;
  const rc = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  if (isTransportFailure(e)) return { kind: 'transport', message, response };
  if (rc !== undefined && rc >= 500 && rc < 600 && rc !== 503) {
    return { kind: e.code === 'EENVELOPE' || e.command === 'RCPT TO' ? 'hard-bounce' : 'failed', message, response };
  }
  if (rc !== undefined && rc >= 400) return { kind: 'retry', message, response };
  // "Connection closed unexpectedly" / a socket timeout mid-session: the server may already have
  // accepted the message. nodemailer does not say at which stage, so every mid-session drop counts.
  // With maxRequeues 0 the pool reports such a drop as "Reached maximum number of retries after
  // connection was closed".
  if (
    rc === undefined &&
    ((e.code === 'ECONNECTION' && /closed unexpectedly|connection was closed/i.test(message)) ||
      /ECONNRESET|EPIPE/.test(message))
  ) {
    return { kind: 'unknown', message, response };
  }
  return { kind: 'retry', message, response };
}

function isTransportFailure(e: SmtpError): boolean {
  if (e.code === 'EDNS' || e.code === 'ETLS' || e.code === 'EAUTH') return true;
  if (e.code === 'ETIMEDOUT' && e.timeoutType !== undefined && SETUP_TIMEOUTS.has(e.timeoutType)) return true;
  // A greeting other than 220 (e.g. "421 too busy"): the server refused the session itself.
  if (e.code === 'EPROTOCOL' && e.command === 'CONN') return true;
  const sys = e.originalCode ?? e.code;
  if (sys !== undefined && (CONNECT_CODES.has(sys) || TLS_CODE.test(sys))) return true;
  return false;
}

/** Exponential backoff: base × 2^(attempt−1), capped at one hour. */
export function backoffSeconds(attempt: number, baseSeconds: number): number {
  return Math.min(3600, baseSeconds * 2 ** Math.max(0, attempt - 1));
}
