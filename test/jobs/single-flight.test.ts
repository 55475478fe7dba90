import { describe, expect, it } from 'vitest';
import { singleFlight } from '../../src/jobs/single-flight.js';

/** A job whose runs end when the test says so. */
function gatedJob() {
  const releases: (() => void)[] = [];
  let runs = 0;
  const fn = () => {
    runs += 1;
    return new Promise<void>((r) => releases.push(r));
  };
  return { fn, runs: () => runs, release: () => releases.shift()?.() };
}

describe('singleFlight (the one job overlap guard)', () => {
  it('without coalesce, a trigger during a run is dropped', async () => {
    const job = gatedJob();
    const guard = singleFlight(job.fn, { coalesce: false });
    expect(guard.trigger()).toBe(true);
    expect(guard.trigger()).toBe(false);
    expect(guard.trigger()).toBe(false);
    job.release();
    await guard.idle();
    expect(job.runs()).toBe(1);
    expect(guard.trigger()).toBe(true);
    job.release();
    await guard.idle();
    expect(job.runs()).toBe(2);
  });

  it('with coalesce, a burst of triggers during a run costs one follow-up run', async () => {
    const job = gatedJob();
    const guard = singleFlight(job.fn, { coalesce: true });
    guard.trigger();
    for (let i = 0; i < 5; i++) expect(guard.trigger()).toBe(false);
    const idle = guard.idle();
    job.release();
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(job.runs()).toBe(2);
    job.release();
    await idle;
    expect(job.runs()).toBe(2);
  });

  it('after stop, nothing starts (not even a requested follow-up) and idle waits for the running one', async () => {
    const job = gatedJob();
    const guard = singleFlight(job.fn, { coalesce: true });
    guard.trigger();
    guard.trigger();
    guard.stop();
    expect(guard.trigger()).toBe(false);
    job.release();
    await guard.idle();
    expect(job.runs()).toBe(1);
  });

  it('a failed run frees the guard', async () => {
    let runs = 0;
    const guard = singleFlight(
      async () => {
        runs += 1;
        throw new Error('boom');
      },
      { coalesce: false },
    );
    guard.trigger();
    await guard.idle();
    expect(guard.trigger()).toBe(true);
    await guard.idle();
    expect(runs).toBe(2);
  });
});
