import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { serveParent } from './lib/child.js';

/**
 * The benchmark's mail server, in its own process so its CPU is not the sender's: accepts every
 * message and discards it, counting messages and bytes with wall-clock timestamps (epoch ms with
 * sub-millisecond precision, comparable across processes). Driven by the harness over IPC.
 */
const now = () => performance.timeOrigin + performance.now();

let count = 0;
let bytes = 0;
let firstAt: number | null = null;
let lastAt: number | null = null;
let connections = 0;
/** The raw bytes of the first message received since the last reset (what U_smtp re-sends). */
let captured: Buffer | null = null;
let capturing = false;
const waiters: { n: number; resolve(): void }[] = [];

const stats = () => ({ count, bytes, firstAt, lastAt, connections });

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  disableReverseLookup: true,
  logger: false,
  // Many pooled clients reconnect across a run; do not refuse them.
  maxClients: 1000,
  onConnect(_session, callback) {
    connections += 1;
    callback();
  },
  onData(stream, _session, callback) {
    const keep: Buffer[] | undefined = captured === null && !capturing ? [] : undefined;
    if (keep) capturing = true;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      keep?.push(chunk);
    });
    stream.on('end', () => {
      if (keep) {
        captured = Buffer.concat(keep);
        capturing = false;
      }
      const t = now();
      count += 1;
      firstAt ??= t;
      lastAt = t;
      for (const w of [...waiters]) {
        if (count >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      callback();
    });
  },
});

// A client that disappears mid-session (a worker stopped by the harness) must not end the sink.
server.on('error', () => {});

server.listen(Number(process.env.SINK_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.server.address() as AddressInfo;
  serveParent(
    {
      stats,
      reset() {
        count = 0;
        bytes = 0;
        firstAt = null;
        lastAt = null;
        connections = 0;
        captured = null;
        capturing = false;
        return stats();
      },
      /** The first message since the last reset, as received (latin1: the bytes one for one), or null. */
      captured: () => (captured ? captured.toString('latin1') : null),
      /** Resolves with the stats once `n` messages have arrived since the last reset. */
      waitFor({ n, timeoutMs }: { n: number; timeoutMs: number }) {
        if (count >= n) return stats();
        return new Promise((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`sink: ${count}/${n} messages after ${timeoutMs} ms`)),
            timeoutMs,
          );
          waiters.push({
            n,
            resolve: () => {
              clearTimeout(timer);
              resolve(stats());
            },
          });
        });
      },
    },
    { port, url: `smtp://127.0.0.1:${port}` },
  );
});
