import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions, type TransportOptions } from 'nodemailer';
import type { MailConfig } from '../config.js';
import { envelopeFrom } from './message-frame.js';

type OutgoingMessage = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Without angle brackets' content rules: pass `<id@domain>`. Derived from the delivery id for bulk mail. */
  messageId?: string;
  headers?: Record<string, string>;
  from?: string;
};

export type SendResult = { messageId: string; response: string };

/**
 * A message already composed (src/mail/message-frame.ts): RFC 5322 bytes with CRLF line ends, From
 * = the mailer's `from`. `to` is the envelope recipient; `messageId` the Message-ID inside `raw`.
 */
type RawMessage = { raw: Buffer; to: string; messageId: string };

/** Sends one message; throws nodemailer's error (with `responseCode` / `code`) on failure. */
export type Mailer = {
  kind: 'smtp' | 'capture';
  /** The From header every message gets (MAIL_FROM); a raw message must carry exactly this one. */
  readonly from: string;
  send(message: OutgoingMessage): Promise<SendResult>;
  /** Sends a composed message as it is; DKIM (when configured) signs it like any other. */
  sendRaw(message: RawMessage): Promise<SendResult>;
  close(): Promise<void>;
};

type DkimOptions = { domainName: string; keySelector: string; privateKey: string };

export type CreateMailerOptions = {
  from: string;
  dkim?: DkimOptions;
};

/**
 * SMTP (pooled nodemailer) when configured, else the capture transport, which writes each message as
 * an `.eml` file: the dev mailbox shows byte for byte what SMTP would have received.
 */
export function createMailer(config: MailConfig, options: CreateMailerOptions): Mailer {
  // RFC 8058: the one-click POST header must be covered by the DKIM signature along with
  // List-Unsubscribe; nodemailer's default header list does not include List-Unsubscribe-Post.
  const dkim = options.dkim
    ? {
        ...options.dkim,
        headerFieldNames:
          'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:List-Unsubscribe:List-Unsubscribe-Post:List-Id',
      }
    : undefined;
  const envelopeSender = envelopeFrom(options.from);
  if (config.kind === 'smtp') {
    const transport = nodemailer.createTransport({
      url: config.url,
      pool: true,
      maxConnections: config.maxConnections,
      // Only our delivery ledger retries; the pool must not re-queue a message behind our back.
      maxRequeues: 0,
      // nodemailer's default (100) reconnects every pooled connection after 100 messages, paying the
      // server's greeting again (smtp-server waits 100 ms before it): ≈20% of U_smtp in the benchmark.
      // A server that wants fewer per connection closes it; the pool then opens a new one.
      maxMessages: Number.POSITIVE_INFINITY,
      // A claimed delivery is leased for 5 minutes (send-due-deliveries.ts); after that another worker
      // may send it again. nodemailer's default idle-socket timeout is 10 minutes, so a stalled server
      // could outlive the lease and cause a duplicate: keep every wait well inside it.
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
      dkim,
    } as TransportOptions);
    // Without DKIM a composed message needs nothing of nodemailer's Mail layer (plugins, MIME tree,
    // stream pipeline: about a fifth of a spliced message's CPU): it goes straight to the pool.
    const pool = dkim ? undefined : poolOf(transport);
    return {
      kind: 'smtp',
      from: options.from,
      async send(message) {
        const info = await transport.sendMail(toNodemailer(message, options.from));
        return { messageId: info.messageId, response: info.response };
      },
      sendRaw: pool
        ? (message) => sendToPool(pool, message, envelopeSender)
        : async (message) => {
            const info = await transport.sendMail(rawToNodemailer(message, envelopeSender));
            return { messageId: message.messageId, response: info.response };
          },
      async close() {
        transport.close();
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', dkim });
  let dirReady: Promise<unknown> | undefined;
  let seq = 0;
  const capture = async (mail: SendMailOptions, messageId?: string): Promise<SendResult> => {
    dirReady ??= mkdir(config.dir, { recursive: true });
    await dirReady;
    const info = await transport.sendMail(mail);
    const raw = info.message as Buffer;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = `${stamp}-${process.pid}-${++seq}.eml`;
    // Owner-only: a captured message holds an address and signed links (confirm, unsubscribe, order page).
    await writeFile(join(config.dir, file), raw, { mode: 0o600 });
    return { messageId: messageId ?? info.messageId, response: `250 captured ${file}` };
  };
  return {
    kind: 'capture',
    from: options.from,
    send: (message) => capture(toNodemailer(message, options.from)),
    sendRaw: (message) => capture(rawToNodemailer(message, envelopeSender), message.messageId),
    async close() {},
  };
}

/**
 * The transport's SMTP pool (nodemailer's `SMTPPool`), which takes what `Mail#sendMail` hands every
 * transport: `{ data, message }`, where the message gives its envelope, its Message-ID and its bytes.
 */
type PoolEntry = {
  data: Record<string, never>;
  message: {
    getEnvelope(): { from: string; to: string[] };
    messageId(): string;
    getHeader(key: string): string | undefined;
    /** smtp-connection sends a Buffer as it is (dot-stuffed on the way, as any message). */
    createReadStream(): Buffer;
  };
};
type Pool = { send(mail: PoolEntry, callback: (err: Error | null, info: { response: string }) => void): void };

function poolOf(transport: unknown): Pool | undefined {
  const pool = (transport as { transporter?: Partial<Pool> }).transporter;
  return typeof pool?.send === 'function' ? (pool as Pool) : undefined;
}

/** A composed message straight to the pool: the bytes, the envelope nodemailer would derive, the same errors. */
function sendToPool(pool: Pool, m: RawMessage, from: string): Promise<SendResult> {
  const envelope = { from, to: [m.to] };
  const message: PoolEntry['message'] = {
    getEnvelope: () => envelope,
    messageId: () => m.messageId,
    getHeader: (key) => (key.toLowerCase() === 'message-id' ? m.messageId : undefined),
    createReadStream: () => m.raw,
  };
  return new Promise((resolve, reject) =>
    pool.send({ data: {}, message }, (err, info) =>
      err ? reject(err) : resolve({ messageId: m.messageId, response: info.response }),
    ),
  );
}

/** nodemailer cannot read the envelope out of a raw message: it is given, as nodemailer would derive it. */
function rawToNodemailer(m: RawMessage, from: string): SendMailOptions {
  return { raw: m.raw, envelope: { from, to: [m.to] } };
}

function toNodemailer(m: OutgoingMessage, defaultFrom: string): SendMailOptions {
  return {
    from: m.from ?? defaultFrom,
    to: m.to,
    subject: m.subject,
    html: m.html,
    text: m.text,
    messageId: m.messageId,
    headers: m.headers,
  };
}
