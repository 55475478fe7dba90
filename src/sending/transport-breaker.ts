import { systemClock, type Clock } from '../clock.js';

/**
 * The circuit breaker of a process's mail transport. A connection-level failure (the server cannot be
 * reached or refuses the session: classify-failure.ts `transport`) opens it: the sender stops claiming
 * and sending, and rows it holds go back to the queue with their attempt refunded. After `baseMs` it is
 * half-open: one message is sent as a probe while the others wait for its result; success closes the
 * breaker, failure opens it again for twice as long (capped at `maxMs`). Time comes from the injected
 * clock (`deps.clock` via the sender), so a test moves a manual clock past a pause instead of sleeping.
 */
export type TransportBreaker = {
  /** Resolves true when a message may be sent now (closed, or this caller is the probe); false while open. */
  permit(): Promise<boolean>;
  /** A message went through (or the server answered with a reply about it): the transport works. */
  success(): void;
  /** A connection-level failure. */
  failure(reason: string): void;
  /** Open and not yet due for a probe: do not claim work. */
  paused(): boolean;
  /** Half-open (the next message is a probe): claim one row, not a batch. */
  probing(): boolean;
  /** Milliseconds until the next probe may run (0 when closed). */
  retryInMs(): number;
  readonly state: 'closed' | 'open' | 'half-open';
  /** Why it last opened (for the rows it sends back). */
  readonly reason: string;
};

export type BreakerOptions = {
  /** Default: the system clock. */
  clock?: Clock;
  baseMs?: number;
  maxMs?: number;
  onChange?(state: 'closed' | 'open' | 'half-open', info: { reason: string; retryInMs: number }): void;
};

export function createTransportBreaker(options: BreakerOptions = {}): TransportBreaker {
  const baseMs = options.baseMs ?? 1000;
  const maxMs = options.maxMs ?? 60_000;
  const clock = options.clock ?? systemClock;
  const now = () => clock.now().getTime();
  let state: 'closed' | 'open' | 'half-open' = 'closed';
  let openUntil = 0;
  let backoff = baseMs;
  let reason = '';
  let probeInFlight = false;
  let waiters: ((ok: boolean) => void)[] = [];

  const settle = (ok: boolean) => {
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve(ok);
  };
  const set = (next: typeof state) => {
    if (next === state) return;
    state = next;
    options.onChange?.(next, { reason, retryInMs: Math.max(0, openUntil - now()) });
  };
  const due = () => state === 'open' && now() >= openUntil;

  return {
    get state() {
      return due() ? 'half-open' : state;
    },
    get reason() {
      return reason;
    },
    async permit() {
      if (state === 'closed') return true;
      if (state === 'open' && now() < openUntil) return false;
      if (!probeInFlight) {
        probeInFlight = true;
        set('half-open');
        return true;
      }
      return new Promise<boolean>((resolve) => waiters.push(resolve));
    },
    success() {
      probeInFlight = false;
      backoff = baseMs;
      set('closed');
      settle(true);
    },
    failure(why) {
      reason = why;
      // Failures of messages that were in flight when the server went away open it once, not once each.
      if (state === 'open') return;
      const wasProbe = state === 'half-open';
      probeInFlight = false;
      openUntil = now() + backoff;
      if (wasProbe) backoff = Math.min(maxMs, backoff * 2);
      set('open');
      settle(false);
    },
    paused: () => state === 'open' && now() < openUntil,
    probing: () => state !== 'closed',
    retryInMs: () => (state === 'closed' ? 0 : Math.max(0, openUntil - now())),
  };
}
