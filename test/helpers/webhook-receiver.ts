import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

type ReceivedWebhook = { headers: IncomingHttpHeaders; raw: string; json: unknown; status: number };

export type WebhookReceiver = {
  url: string;
  received: ReceivedWebhook[];
  /** The status the next requests get (default 204); a non-2xx makes the ledger retry. */
  respondWith(status: number): void;
  close(): Promise<void>;
};

/** A real HTTP server on 127.0.0.1 that records every request (raw body kept for HMAC checks). */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let status = 204;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      received.push({ headers: req.headers, raw, json, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/orders`,
    received,
    respondWith: (s) => {
      status = s;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
