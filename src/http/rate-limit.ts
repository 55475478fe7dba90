import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { hash } from 'node:crypto';
import type { Clock } from '../clock.js';

type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type RateLimiter = {
  /** Counts one attempt for `key` unless the key is over its limit (refused attempts do not count). */
  hit(key: string): RateLimitDecision;
  /** Keys held now (for tests and metrics). */
  size(): number;
  /** Most keys held at once (from `maxBytes`). */
  readonly maxKeys: number;
};

/** Bytes one key costs in the map, estimated: the hashed key, the Map entry, the array and its timestamps. */
const entryBytes = (limit: number) => 96 + 48 + 16 + 8 * limit;

/**
 * In-process sliding-window limiter: at most `limit` attempts per key in any `windowMs`. State lives
 * in this process only, so N processes allow up to N × limit (documented in the README). `limit` 0 = off.
 * Time comes from the clock so tests move it instead of sleeping.
 *
 * Memory is bounded whatever callers send (issue 11: 2.2 KB keys, 1.3 GB RSS under a flood):
 * - keys are stored as a 16-byte SHA-256 prefix (base64url), never as given — callers validate
 *   before they hit, so junk never reaches the map, and a long key costs what a short one does;
 * - the map is bounded by bytes (`maxBytes`, default 16 MiB ≈ 60,000 keys at limit 10);
 * - when full, expired keys go first, then the least recently used keys that are NOT blocked;
 *   blocked keys go last, so a flood of fresh addresses cannot buy a blocked one a new allowance.
 */
export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  clock: Clock;
  maxBytes?: number;
}): RateLimiter {
  const { limit, windowMs, clock } = options;
  const maxKeys = Math.max(16, Math.floor((options.maxBytes ?? 16 * 1024 * 1024) / entryBytes(limit)));
  const hits = new Map<string, number[]>();

  function sweep(now: number) {
    const live = (times: number[]) => (times.at(-1) ?? 0) > now - windowMs;
    const blocked = (times: number[]) => times.filter((t) => t > now - windowMs).length >= limit;
    for (const [key, times] of hits) if (!live(times)) hits.delete(key);
    // Free 10 % at a time, so the O(n) sweep runs once per maxKeys/10 new keys, not on every request.
    const target = Math.floor(maxKeys * 0.9);
    for (const [key, times] of hits) {
      if (hits.size <= target) return;
      if (!blocked(times)) hits.delete(key);
    }
    for (const key of hits.keys()) {
      if (hits.size <= target) return;
      hits.delete(key);
    }
  }

  return {
    size: () => hits.size,
    maxKeys,
    hit(rawKey) {
      if (limit <= 0) return { allowed: true };
      const key = hash('sha256', rawKey, 'base64url').slice(0, 22); // one-shot: half the cost of createHash()
      const now = clock.now().getTime();
      if (hits.size >= maxKeys && !hits.has(key)) sweep(now);
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
    const last = forwarded
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The key a per-IP limit counts under: an IPv4 address as it is, an IPv6 address as its /64 — one
 * subscriber line or host usually gets a whole /64 (RFC 6177 §3, "a /64 for a single subnet"), so
 * keying on the full address would give an attacker 2^64 fresh keys. IPv4-mapped IPv6
 * (`::ffff:192.0.2.1`) counts as the IPv4 address.
 */
export function ipLimitKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const bare = ip
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '')
    .toLowerCase();
  const mapped =
    /^(?:0{0,4}:){0,5}(?:0{0,4}:)?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare) ??
    /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  if (mapped) return mapped[1]!;
  const groups = expandIpv6(bare);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : bare;
}

function expandIpv6(ip: string): string[] | undefined {
  let text = ip;
  // A trailing dotted quad stands for the last two groups.
  const quad = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}
