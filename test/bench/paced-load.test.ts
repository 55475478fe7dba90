import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pacedLoad } from '../../bench/lib/paced-load.js';

/**
 * The half-rate signup run's load generator. Only the shape of the load is asserted (how many
 * requests, how spread out, what is counted), never how fast the server is: the tolerances hold on
 * a loaded two-core machine.
 */
type Recorder = { url: string; arrivals: number[]; bodies: string[]; server: Server };

let current: Server | undefined;
afterEach(async () => {
  current?.closeAllConnections();
  await new Promise<void>((resolve) => (current ? current.close(() => resolve()) : resolve()));
  current = undefined;
});

/** A server that records when each request arrives, then lets `answer` reply. */
async function recorder(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Recorder> {
  const arrivals: number[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    arrivals.push(performance.now());
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      answer(req, res);
    });
  });
  current = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, arrivals, bodies, server };
}

/** Held 5 ms before the 200: every latency is at least that long, so p50/p99 cannot round to 0. */
const after5ms = (_req: IncomingMessage, res: ServerResponse) => setTimeout(() => res.end('ok'), 5);

describe('pacedLoad', () => {
  it('spreads rate 200 over the second instead of sending it in a burst', async () => {
    const r = await recorder(after5ms);
    const result = await pacedLoad({
      url: r.url,
      method: 'POST',
      body: (i) => `{"i":${i}}`,
      rate: 200,
      seconds: 1,
      connections: 10,
    });

    expect(result.sent).toBe(200);
    expect(r.arrivals).toHaveLength(200);
    expect(result.ok).toBe(r.arrivals.length);
    expect(result.errors).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(result.statuses).toEqual({ '200': 200 });
    expect(new Set(r.bodies).size).toBe(200);
    expect(result.p50).toBeGreaterThanOrEqual(4);
    expect(result.p99).toBeGreaterThanOrEqual(result.p50);
    expect(result.rps).toBeGreaterThan(0);

    // Due times span 995 ms; a burst (autocannon's overallRate) would put them all in the first few.
    const t = [...r.arrivals].sort((a, b) => a - b);
    expect(t[t.length - 1]! - t[0]!).toBeGreaterThan(600);
    // No 100 ms window holds more than 3× its share (20) of the requests.
    let densest = 0;
    for (let i = 0, j = 0; i < t.length; i++) {
      while (t[i]! - t[j]! >= 100) j++;
      densest = Math.max(densest, i - j + 1);
    }
    expect(densest).toBeLessThanOrEqual(60);
  });

  it('sends `requests` requests when given, not seconds × rate', async () => {
    const r = await recorder(after5ms);
    const result = await pacedLoad({ url: r.url, method: 'GET', rate: 200, seconds: 10, requests: 25, connections: 4 });
    expect(result.sent).toBe(25);
    expect(r.arrivals).toHaveLength(25);
    expect(result.ok).toBe(25);
    // 25 requests due within 120 ms: it stopped scheduling long before 10 s.
    expect(result.durationSec).toBeLessThan(5);
  });

  it('counts time queued behind busy connections (from the due time, not from the send)', async () => {
    // One connection, each answer held 20 ms, 40 requests due over 200 ms: they are served one after
    // another over ≥ 800 ms, so the last ones waited ≥ 600 ms after they were due.
    const r = await recorder((_req, res) => setTimeout(() => res.end('ok'), 20));
    const result = await pacedLoad({ url: r.url, method: 'GET', rate: 200, requests: 40, connections: 1 });
    expect(result.ok).toBe(40);
    expect(result.p99).toBeGreaterThanOrEqual(500);
  });

  it('keeps going when the server closes idle keep-alive connections, and spreads requests over all connections', async () => {
    // Every connection idles ≈ 400 ms between its requests (20/s over 8 connections); the server
    // closes a connection 100 ms after its answer unless another request came (a keep-alive timeout
    // that cannot race a request). Each is closed while idle and replaced, and no request is lost.
    const idleTimers = new Map<unknown, NodeJS.Timeout>();
    const r = await recorder((req, res) => {
      res.on('finish', () =>
        idleTimers.set(
          req.socket,
          setTimeout(() => req.socket.destroy(), 100),
        ),
      );
      res.end('ok');
    });
    let connections = 0;
    r.server.on('connection', () => (connections += 1));
    r.server.on('request', (req: IncomingMessage) => clearTimeout(idleTimers.get(req.socket)));
    const result = await pacedLoad({
      url: r.url,
      method: 'GET',
      rate: 20,
      requests: 30,
      connections: 8,
      timeoutMs: 5_000,
    });
    expect(result).toMatchObject({ ok: 30, errors: 0, sent: 30 });
    expect(r.arrivals).toHaveLength(30);
    expect(connections).toBeGreaterThan(8); // connections were closed and replaced
  });

  it('counts a response without Content-Length as an error instead of waiting for it', async () => {
    const r = await recorder((_req, res) => {
      res.write('chunked, no length');
      res.end();
    });
    const result = await pacedLoad({
      url: r.url,
      method: 'GET',
      rate: 100,
      requests: 3,
      connections: 1,
      timeoutMs: 5_000,
    });
    expect(result).toMatchObject({ ok: 0, errors: 3, sent: 3 });
  });

  it('counts statuses, non-2xx answers and requests that time out', async () => {
    const r = await recorder((req, res) => {
      if (req.url === '/x') {
        res.statusCode = 503;
        res.end();
      }
      // Any other path is never answered.
    });
    const refused = await pacedLoad({ url: r.url, method: 'GET', rate: 100, requests: 5, connections: 2 });
    expect(refused).toMatchObject({ ok: 0, non2xx: 5, errors: 0, statuses: { '503': 5 } });

    const silent = await pacedLoad({
      url: r.url.replace('/x', '/never'),
      method: 'GET',
      rate: 100,
      requests: 3,
      connections: 3,
      timeoutMs: 200,
    });
    expect(silent).toMatchObject({ ok: 0, non2xx: 0, errors: 3, sent: 3 });
  });
});
