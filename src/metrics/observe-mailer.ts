import type { Mailer, SendResult } from '../mail/mailer.js';
import { smtpReplyClass, type Metrics } from './metrics.js';

/**
 * The same mailer, counting each transaction's SMTP reply class. A reply code is what the server
 * said (250 accepted, 4xx try later, 5xx refused); an error without one never got a reply (refused
 * connection, DNS, TLS, timeout). The capture transport talks to no server, so it is not counted.
 */
export function observeMailer(mailer: Mailer, metrics: Metrics): Mailer {
  if (mailer.kind !== 'smtp') return mailer;
  const counted = async (send: () => Promise<SendResult>) => {
    try {
      const info = await send();
      metrics.smtpReplies.inc({ class: smtpReplyClass(Number(/^\d{3}/.exec(info.response)?.[0] ?? 250)) });
      return info;
    } catch (err) {
      const code = (err as { responseCode?: unknown }).responseCode;
      metrics.smtpReplies.inc({ class: smtpReplyClass(typeof code === 'number' ? code : undefined) });
      throw err;
    }
  };
  return {
    kind: mailer.kind,
    from: mailer.from,
    send: (message) => counted(() => mailer.send(message)),
    sendRaw: (message) => counted(() => mailer.sendRaw(message)),
    close: () => mailer.close(),
  };
}
