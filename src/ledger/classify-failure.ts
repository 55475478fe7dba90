/** What the ledger does with a failed attempt. */
export type FailureKind = 'retry' | 'hard-bounce' | 'failed' | 'unknown';

/**
 * SMTP semantics (RFC 5321): 4yz replies are transient → retry; a 5yz reply to RCPT TO means the
 * mailbox does not exist or refuses us → hard bounce (fail and suppress the address); other 5yz
 * (to MAIL FROM or DATA) are permanent for this message but say nothing about the address → fail.
 * A connection that drops without a reply may have dropped after the server took the message
 * (after DATA): the outcome is unknown, so it is retried once only, to bound duplicates.
 * Network errors before the session (refused, DNS, TLS) are transient → retry.
 */
export function classifyFailure(err: unknown): { kind: FailureKind; message: string; response?: string } {
  const e = (err ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string; command?: string };
  const message = (e.message ?? String(err)).slice(0, 1000);
  const response = typeof e.response === 'string' ? e.response.slice(0, 1000) : undefined;
  const rc = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  if (rc !== undefined && rc >= 500 && rc < 600 && rc !== 503) {
    return { kind: e.code === 'EENVELOPE' || e.command === 'RCPT TO' ? 'hard-bounce' : 'failed', message, response };
  }
  if (rc !== undefined && rc >= 400) return { kind: 'retry', message, response };
  // "Connection closed unexpectedly" / a socket timeout mid-session: the server may already have
  // accepted the message. nodemailer does not say at which stage, so every mid-session drop counts.
  if (rc === undefined && ((e.code === 'ECONNECTION' && /closed unexpectedly/i.test(message)) || /ECONNRESET|EPIPE/.test(message))) {
    return { kind: 'unknown', message, response };
  }
  return { kind: 'retry', message, response };
}

/** Exponential backoff: base × 2^(attempt−1), capped at one hour. */
export function backoffSeconds(attempt: number, baseSeconds: number): number {
  return Math.min(3600, baseSeconds * 2 ** Math.max(0, attempt - 1));
}
