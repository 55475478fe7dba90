import type { Clock } from '../../clock.js';
import type { Count, CounterStore } from '../../db/counters.js';

/**
 * Console login limits that a stranger cannot turn on the owner (issue 21 finding 2):
 * - only FAILED logins count, and a success clears its (account, IP) failures;
 * - failures count per (account, client IP) — someone elsewhere guessing the owner's password slows
 *   down only themselves — and per client IP across accounts (password spraying);
 * - past the free attempts, each further attempt waits a delay that doubles with every failure
 *   (30 s, 1 min, 2 min … at most 15 min), measured from the last failure: never a fixed lock-out;
 * - failures are forgotten 24 h (per IP: 1 h) after the last one.
 * The counters live in `rate_counters` on PostgreSQL (shared by every web process), in memory on PGlite.
 * IPs arrive already keyed (`ipLimitKey`: IPv6 by its /64).
 */
export type LoginLimits = {
  /** Seconds to wait before this attempt may be checked (0 = go ahead). Counts nothing. */
  wait(account: string, ip: string): Promise<number>;
  failed(account: string, ip: string): Promise<void>;
  succeeded(account: string, ip: string): Promise<void>;
};

const LOGIN_BASE_DELAY_MS = 30_000;
const LOGIN_MAX_DELAY_MS = 15 * 60_000;
const ACCOUNT_WINDOW_MS = 24 * 3_600_000;
const IP_WINDOW_MS = 3_600_000;

/** The delay after `failures` failures when `free` are allowed without one (pure). */
export function loginDelayMs(failures: number, free: number): number {
  if (free <= 0 || failures < free) return 0;
  return Math.min(LOGIN_MAX_DELAY_MS, LOGIN_BASE_DELAY_MS * 2 ** Math.min(20, failures - free));
}

export function createLoginLimits(
  deps: { counters: CounterStore; clock: Clock },
  limits: { perAccountIp: number; perIp: number },
): LoginLimits {
  const accountKey = (account: string, ip: string) => `login:acct-ip:${account}\u0000${ip}`;
  const ipKey = (ip: string) => `login:ip:${ip}`;
  const remaining = (c: Count | undefined, free: number, now: number) =>
    c ? Math.max(0, c.lastAt.getTime() + loginDelayMs(c.count, free) - now) : 0;
  return {
    async wait(account, ip) {
      const now = deps.clock.now();
      const [pair, net] = await deps.counters.get([accountKey(account, ip), ipKey(ip)], now);
      const ms = Math.max(
        remaining(pair, limits.perAccountIp, now.getTime()),
        remaining(net, limits.perIp, now.getTime()),
      );
      return Math.ceil(ms / 1000);
    },
    async failed(account, ip) {
      const now = deps.clock.now();
      const events = [
        ...(limits.perAccountIp > 0 ? [{ key: accountKey(account, ip), windowMs: ACCOUNT_WINDOW_MS }] : []),
        ...(limits.perIp > 0 ? [{ key: ipKey(ip), windowMs: IP_WINDOW_MS }] : []),
      ];
      await deps.counters.add(events, now, { slide: true });
    },
    async succeeded(account, ip) {
      await deps.counters.reset([accountKey(account, ip)]);
    },
  };
}
