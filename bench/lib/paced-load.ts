import { Agent, request, type OutgoingHttpHeaders } from 'node:http';

export type PacedLoadOptions = {
  url: string;
  method: 'GET' | 'POST';
  headers?: OutgoingHttpHeaders;
  /** The body of request `i` (undefined: none), so every request can be a new signup. */
  body?: (i: number) => string | undefined;
  /** Requests per second, evenly spaced. */
  rate: number;
  /** How long to keep scheduling (default 10). */
  seconds?: number;
  /** A fixed number of requests instead of `seconds` × `rate`. */
  requests?: number;
  /** Keep-alive sockets (the agent's maxSockets): beyond that, due requests wait in the agent's queue. */
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

/**
 * Open-loop load at an even pace: request i is due at start + i/rate and is sent then, whether or not
 * the earlier ones have been answered. autocannon's `overallRate` is not that: each connection sends
 * back to back until it has made its quota for the second (`reqsMadeThisSecond`), then waits for a
 * 1 s interval to reset it — full rate for part of each second, then idle. Latency runs from the due
 * time, not from when a socket was free, so time spent queued behind busy connections counts
 * (no coordinated omission).
 */
export async function pacedLoad(opts: PacedLoadOptions): Promise<PacedLoadResult> {
  if (!(opts.rate > 0)) throw new Error('pacedLoad: rate must be positive');
  const total = Math.max(1, opts.requests ?? Math.floor((opts.seconds ?? 10) * opts.rate));
  const interval = 1000 / opts.rate;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const target = new URL(opts.url);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  let settled = 0;
  let lastResponseAt = 0;
  let responses = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const start = performance.now();

  const send = (i: number) => {
    const due = start + i * interval;
    const body = opts.body?.(i);
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: 'error' | number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (outcome === 'error') errors += 1;
      else {
        const at = performance.now();
        lastResponseAt = at;
        responses += 1;
        statuses[String(outcome)] = (statuses[String(outcome)] ?? 0) + 1;
        if (outcome >= 200 && outcome < 300) {
          ok += 1;
          latencies.push(at - due);
        } else non2xx += 1;
      }
      settled += 1;
      if (settled === total) finish();
    };
    const req = request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: opts.method,
        agent,
        headers: { ...opts.headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        res.on('end', () => settle(res.statusCode ?? 0));
        // A response cut short closes without 'end'.
        res.on('close', () => settle('error'));
        res.on('error', () => settle('error'));
        res.resume();
      },
    );
    req.on('error', () => settle('error'));
    // From the due time: a request still queued in the agent when it expires is an error too.
    timer = setTimeout(() => req.destroy(new Error('pacedLoad: timeout')), Math.max(1, due + timeoutMs - performance.now()));
    req.end(body);
    sent += 1;
  };

  // Wakes when the next request is due (at least 1 ms later): no busy loop, and a late wake-up
  // sends everything overdue at once, its latency counted from when it was due.
  let next = 0;
  const tick = () => {
    const now = performance.now();
    while (next < total && start + next * interval <= now) send(next++);
    if (next < total) setTimeout(tick, Math.max(1, Math.floor(start + next * interval - performance.now())));
  };
  tick();
  await finished;
  agent.destroy();

  const durationSec = ((responses > 0 ? lastResponseAt : performance.now()) - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0) : 0);
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
