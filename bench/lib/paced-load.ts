import { connect, type Socket } from 'node:net';

export type PacedLoadOptions = {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** The body of request `i` (undefined: none), so every request can be a new signup. */
  body?: (i: number) => string | undefined;
  /** Requests per second, evenly spaced. */
  rate: number;
  /** How long to keep scheduling (default 10). */
  seconds?: number;
  /** A fixed number of requests instead of `seconds` × `rate`. */
  requests?: number;
  /** Keep-alive connections: beyond that many answers outstanding, due requests wait for a free one. */
  connections: number;
  /** Per request, counted from its due time; a request that takes longer is an error (default 30 s). */
  timeoutMs?: number;
};

export type PacedLoadResult = {
  /** Responses ÷ `durationSec`. */
  rps: number;
  /** ms from the due time to the end of the response, 2xx only (as autocannon records them). */
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  /** Seconds from the start to the last response. */
  durationSec: number;
  sent: number;
};

type Pending = { i: number; due: number };
type Conn = { socket: Socket; busy?: Pending; buffer: Buffer; closed: boolean };

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * Open-loop load at an even pace: request i is due at start + i/rate and is sent then (or as soon as
 * one of the `connections` keep-alive sockets is free), whether or not the earlier ones have been
 * answered. Latency runs from the due time, so time spent queued behind busy connections counts
 * (no coordinated omission).
 *
 * Why not autocannon's `overallRate`: each connection sends back to back until it has made its quota
 * for the second (`reqsMadeThisSecond`), then waits for a 1 s interval to reset it — full rate for
 * part of each second, then idle. Why raw sockets and not `node:http`'s client: that client costs
 * ≈ 0.35 ms of CPU per request, and at 1,100 req/s against a bare Hono route it measured p50 7 ms,
 * p99 40 ms by itself — its own queueing, not the server's. Here a request is one string written to
 * a socket and an answer is its status line and `Content-Length` bytes (every answer of the service
 * has one; an answer without it, chunked say, is counted as an error and its connection is closed).
 */
export async function pacedLoad(opts: PacedLoadOptions): Promise<PacedLoadResult> {
  if (!(opts.rate > 0)) throw new Error('pacedLoad: rate must be positive');
  const total = Math.max(1, opts.requests ?? Math.floor((opts.seconds ?? 10) * opts.rate));
  const interval = 1000 / opts.rate;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const target = new URL(opts.url);
  const port = Number(target.port || 80);
  // The request line and fixed headers are built once; per request only the body and its length.
  const fixedHead =
    `${opts.method} ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: keep-alive\r\n` +
    Object.entries(opts.headers ?? {})
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
  const request = (body: string | undefined) =>
    body === undefined ? `${fixedHead}\r\n` : `${fixedHead}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  let settled = 0;
  let responses = 0;
  let lastResponseAt = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const waiting: Pending[] = [];
  const idle: Conn[] = [];
  const start = performance.now();

  const settle = (p: Pending, outcome: 'error' | number) => {
    if (outcome === 'error') errors += 1;
    else {
      const at = performance.now();
      lastResponseAt = at;
      responses += 1;
      statuses[String(outcome)] = (statuses[String(outcome)] ?? 0) + 1;
      if (outcome >= 200 && outcome < 300) {
        ok += 1;
        latencies.push(at - p.due);
      } else non2xx += 1;
    }
    settled += 1;
    if (settled === total) finish();
  };

  const send = (conn: Conn, p: Pending) => {
    conn.busy = p;
    const body = opts.body?.(p.i);
    conn.socket.write(request(body));
    sent += 1;
  };

  // A free connection takes the oldest due request; requests past their timeout fail without being sent.
  const release = (conn: Conn) => {
    conn.busy = undefined;
    while (waiting.length > 0) {
      const p = waiting.shift() as Pending;
      if (performance.now() - p.due > timeoutMs) settle(p, 'error');
      else return send(conn, p);
    }
    idle.push(conn);
  };

  // One answer is complete when its head and `Content-Length` bytes of body are in.
  const onData = (conn: Conn, chunk: Buffer) => {
    conn.buffer = conn.buffer.length === 0 ? chunk : Buffer.concat([conn.buffer, chunk]);
    for (;;) {
      const end = conn.buffer.indexOf(HEAD_END);
      if (end < 0 || !conn.busy) return;
      const text = conn.buffer.subarray(0, end).toString('latin1');
      const status = Number(text.slice(9, 12));
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
      if (!length || !(status >= 100)) return fail(conn);
      const size = end + 4 + Number(length[1]);
      if (conn.buffer.length < size) return;
      conn.buffer = conn.buffer.subarray(size);
      const p = conn.busy;
      settle(p, status);
      if (/\r\nconnection:\s*close/i.test(text)) return fail(conn, false);
      release(conn);
    }
  };

  const all = new Set<Conn>();
  const open = (): Conn => {
    const conn: Conn = { socket: connect(port, target.hostname), buffer: Buffer.alloc(0), closed: false };
    all.add(conn);
    conn.socket.setNoDelay(true);
    conn.socket.on('data', (chunk: Buffer) => onData(conn, chunk));
    conn.socket.on('error', () => fail(conn));
    conn.socket.on('close', () => fail(conn));
    return conn;
  };

  // A connection that broke, timed out or was closed (by the server's keep-alive timeout, say): its
  // request in flight (if any) fails, and a new connection takes its place while requests remain.
  const fail = (conn: Conn, requestFailed = true) => {
    if (conn.closed) return;
    conn.closed = true;
    all.delete(conn);
    const k = idle.indexOf(conn);
    if (k >= 0) idle.splice(k, 1);
    const p = conn.busy;
    conn.busy = undefined;
    conn.socket.destroy();
    if (p && requestFailed) settle(p, 'error');
    if (settled < total) release(open());
  };

  for (let c = 0; c < opts.connections; c += 1) idle.push(open());

  // A request on the wire longer than `timeoutMs` since its due time fails with its connection.
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const conn of all) if (conn.busy && now - conn.busy.due > timeoutMs) fail(conn);
  }, 100);

  // Wakes when the next request is due (at least 1 ms later): no busy loop, and a late wake-up
  // sends everything overdue at once, its latency counted from when it was due.
  let next = 0;
  const tick = () => {
    const now = performance.now();
    while (next < total && start + next * interval <= now) {
      const p = { i: next, due: start + next * interval };
      next += 1;
      // Oldest idle first: every connection stays in use, as autocannon's do.
      const conn = idle.shift();
      if (conn) send(conn, p);
      else waiting.push(p);
    }
    if (next < total) setTimeout(tick, Math.max(1, Math.floor(start + next * interval - performance.now())));
  };
  tick();
  await finished;
  clearInterval(watchdog);
  for (const conn of all) {
    conn.closed = true;
    conn.socket.destroy();
  }

  const durationSec = ((responses > 0 ? lastResponseAt : performance.now()) - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies.length
      ? Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0)
      : 0;
  return {
    rps: durationSec > 0 ? Math.round((responses / durationSec) * 10) / 10 : 0,
    p50: at(0.5),
    p99: at(0.99),
    ok,
    non2xx,
    errors,
    statuses,
    durationSec: Math.round(durationSec * 100) / 100,
    sent,
  };
}
