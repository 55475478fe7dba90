import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

type Behaviour = 'accept' | '451' | '550' | 'drop';

export type ReceivedMessage = { envelopeTo: string[]; raw: string; parsed: ParsedMail };

export type SmtpSink = {
  url: string;
  port: number;
  messages: ReceivedMessage[];
  /** How the sink answers RCPT TO for an address (default `accept`); `drop` cuts the connection after DATA. */
  setBehaviour(address: string, behaviour: Behaviour): void;
  /** Resolves once `count` messages have been received (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
};

/** A real SMTP server in-process: it receives, parses and records every message. `port`: listen there (a sink coming back after an outage). */
export async function startSmtpSink(options: { port?: number } = {}): Promise<SmtpSink> {
  const messages: ReceivedMessage[] = [];
  const behaviours = new Map<string, Behaviour>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const behaviourOf = (addr: string) => behaviours.get(addr.toLowerCase()) ?? 'accept';

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      const b = behaviourOf(address.address);
      if (b === '451')
        return callback(Object.assign(new Error('4.2.1 Mailbox busy, try later'), { responseCode: 451 }));
      if (b === '550') return callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        if (to.some((a) => behaviourOf(a) === 'drop')) {
          // Simulates a connection lost after DATA: the client never learns whether we took it.
          (session as unknown as { socket?: { destroy(): void } }).socket?.destroy();
          server.connections?.forEach?.((conn: { _socket?: { destroy(): void } }) => {
            conn._socket?.destroy();
          });
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            messages.push({ envelopeTo: to, raw, parsed });
            for (const w of [...waiters]) if (messages.length >= w.count) w.resolve();
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    setBehaviour: (address, behaviour) => behaviours.set(address.toLowerCase(), behaviour),
    waitFor(count, timeoutMs = 10_000) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} messages, got ${messages.length}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(messages);
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
