import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createRateLimiter } from '../../src/http/rate-limit.js';

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

  it('keeps memory bounded by bytes under a flood of distinct keys, whatever their length', () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, clock, maxBytes: 100 * 168 });
    expect(limiter.maxKeys).toBe(100);
    for (let i = 0; i < 1_000; i++) limiter.hit(`${'x'.repeat(2_000)}-${i}`); // 2 KB keys cost what short ones do
    expect(limiter.size()).toBeLessThanOrEqual(100);
    // The most recent keys are still limited; the oldest were forgotten.
    expect(limiter.hit(`${'x'.repeat(2_000)}-999`).allowed).toBe(false);
    expect(limiter.hit(`${'x'.repeat(2_000)}-0`).allowed).toBe(true);
  });

  it('a flood of fresh keys evicts idle keys before blocked ones: a blocked caller stays blocked', () => {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, clock, maxBytes: 50 * 184 });
    for (let i = 0; i < 3; i++) limiter.hit('attacker');
    expect(limiter.hit('attacker').allowed).toBe(false);
    for (let i = 0; i < 5_000; i++) limiter.hit(`fresh-${i}`); // one hit each: not blocked
    expect(limiter.size()).toBeLessThanOrEqual(50);
    expect(limiter.hit('attacker').allowed).toBe(false);
    clock.advance(60_000);
    expect(limiter.hit('attacker').allowed).toBe(true); // the window still ends
  });
});
