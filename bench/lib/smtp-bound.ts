import nodemailer, { type TransportOptions } from 'nodemailer';

export type BoundMessage = {
  from: string | { name: string; address: string };
  subject: string;
  html: string;
  text: string;
  /** Header fields beyond nodemailer's own (List-Unsubscribe, List-Unsubscribe-Post, List-Id, …). */
  headers?: Record<string, string>;
};

export type SmtpBoundResult = {
  messages: number;
  ms: number;
  perSecond: number;
  connections: number;
  inFlight: number;
};

/**
 * U_smtp: the fastest this machine moves our messages into the sink — raw pooled nodemailer sending
 * one pre-rendered message over and over (unique recipient per message; nodemailer composes each
 * one, as a plain `sendMail` does; the fan-out benchmarks pass a message the service itself sent,
 * captured-message.ts), `connections` pooled
 * connections, at most `2 × connections` messages in flight (what the sender allows). No database,
 * no rendering: what is left is nodemailer's MIME build + SMTP and the sink's receive.
 */
export async function measureSmtpBound(options: {
  url: string;
  connections: number;
  count: number;
  message: BoundMessage;
  /** Messages per pooled connection before nodemailer reconnects (its default is 100). */
  maxMessages?: number;
}): Promise<SmtpBoundResult> {
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: options.connections,
    maxMessages: options.maxMessages ?? Number.POSITIVE_INFINITY,
    maxRequeues: 0,
  } as TransportOptions);
  const inFlight = options.connections * 2;
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const lane = async () => {
    while (next < options.count) {
      const i = next++;
      await transport.sendMail({ ...options.message, to: `bound-${i}@example.com` }).catch(() => {
        failed += 1;
      });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const ms = performance.now() - started;
  transport.close();
  if (failed > 0) throw new Error(`U_smtp: ${failed} of ${options.count} messages failed`);
  return {
    messages: options.count,
    ms,
    perSecond: (options.count / ms) * 1000,
    connections: options.connections,
    inFlight,
  };
}
