import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

type Arrival = { deliveryId: number; at: number };

/**
 * A real SMTP server that only reads each message's `Message-ID` (the sender derives it from the
 * delivery id: `<delivery-<id>@…>`) and records when it was accepted — cheap enough for the
 * thousands of messages of the kill trials, where a full parse per message would load the machine.
 * A message counts once its DATA has ended, just before the 250 reply.
 */
export type CountingSink = {
  url: string;
  arrivals: Arrival[];
  /** Resolves once `predicate` holds for the arrivals (checked on each arrival). */
  waitUntil(predicate: (arrivals: Arrival[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

export async function startCountingSink(): Promise<CountingSink> {
  const arrivals: Arrival[] = [];
  const waiters: { predicate(a: Arrival[]): boolean; resolve(): void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    maxClients: 1000,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const id = /^Message-ID:\s*<delivery-(\d+)@/im.exec(head);
        arrivals.push({ deliveryId: id ? Number(id[1]) : -1, at: performance.now() });
        for (const w of [...waiters]) {
          if (w.predicate(arrivals)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }
        callback();
      });
    },
  });
  // A killed worker's sockets vanish mid-session: that must not end the sink.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    waitUntil(predicate, timeoutMs = 60_000) {
      if (predicate(arrivals)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`sink: condition not met after ${timeoutMs} ms (${arrivals.length} messages)`)),
          timeoutMs,
        );
        waiters.push({
          predicate,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
