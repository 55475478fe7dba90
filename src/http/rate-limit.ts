import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Clock } from '../clock.js';

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type RateLimiter = {
  /** Counts one attempt for `key` unless the key is over its limit (refused attempts do not count). */
  hit(key: string): RateLimitDecision;
};

/**
 * In-process sliding-window limiter: at most `limit` attempts per key in any `windowMs`. State lives
 * in this process only, so N processes allow up to N × limit (documented in the README). `limit` 0 = off.
 * Time comes from the clock so tests move it instead of sleeping.
 */
export function createRateLimiter(options: { limit: number; windowMs: number; clock: Clock; maxKeys?: number }): RateLimiter {
  const { limit, windowMs, clock } = options;
  const maxKeys = options.maxKeys ?? 100_000;
  const hits = new Map<string, number[]>();

  function sweep(now: number) {
    for (const [key, times] of hits) if ((times.at(-1) ?? 0) <= now - windowMs) hits.delete(key);
    // Still too many live keys (a flood of distinct IPs): forget the least recently used down to 90 %,
    // so the O(n) sweep runs once per maxKeys/10 new keys, not on every request.
    for (const key of hits.keys()) {
      if (hits.size <= maxKeys * 0.9) break;
      hits.delete(key);
    }
  }

  return {
    hit(key) {
      if (limit <= 0) return { allowed: true };
      const now = clock.now().getTime();
      if (hits.size >= maxKeys) sweep(now);
      const times = (hits.get(key) ?? []).filter((t) => t > now - windowMs);
      if (times.length >= limit) {
        hits.set(key, times);
        const oldest = times[0] ?? now;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
      }
      times.push(now);
      // Re-insert so Map order is least-recently-used first for the sweep above.
      hits.delete(key);
      hits.set(key, times);
      return { allowed: true };
    },
  };
}

/**
 * The client's IP. From the socket, unless `trustProxy`: then the right-most `X-Forwarded-For` entry,
 * i.e. the address the proxy in front of us saw — entries further left are whatever the client sent
 * and can be forged. Requests without a socket (`app.request()` in tests) fall back to "unknown"
 * unless the test passes `{ incoming: { socket } }` as env.
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
