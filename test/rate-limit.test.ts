import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { createRateLimiter } from '../src/http/rate-limit.js';

describe('createRateLimiter', () => {
  it('allows `limit` hits per sliding window; refused hits do not count; 0 = off', () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ limit: 2, windowMs: 10_000, clock });
    expect(limiter.hit('a')).toEqual({ allowed: true });
    clock.advance(4_000);
    expect(limiter.hit('a')).toEqual({ allowed: true });
    expect(limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 6 });
    clock.advance(6_000);
    expect(limiter.hit('a')).toEqual({ allowed: true }); // the first hit left the window
    expect(limiter.hit('a').allowed).toBe(false);
    const off = createRateLimiter({ limit: 0, windowMs: 10_000, clock });
    for (let i = 0; i < 100; i++) expect(off.hit('a').allowed).toBe(true);
  });

  it('keeps memory bounded under a flood of distinct keys', () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, clock, maxKeys: 100 });
    for (let i = 0; i < 1_000; i++) limiter.hit(`ip-${i}`);
    // The most recent keys are still limited; the oldest were forgotten.
    expect(limiter.hit('ip-999').allowed).toBe(false);
    expect(limiter.hit('ip-0').allowed).toBe(true);
  });
});
