/**
 * The one overlap guard of a job in this process: at most one run at a time. A trigger that comes
 * while a run is going starts nothing; with `coalesce`, it asks for one follow-up run after the
 * current one (a burst of wake-ups costs one run plus one follow-up), without it the trigger is
 * dropped (a cron tick: the next tick comes anyway). Errors are the caller's `fn`'s to catch.
 */
export type SingleFlight = {
  /** Starts a run, or (busy) remembers a follow-up when coalescing. @returns false when a run was going. */
  trigger(): boolean;
  /** Resolves when no run is going (follow-ups included; after `stop` none starts). */
  idle(): Promise<void>;
  /** No new runs (not even follow-ups) from now on; a running one finishes. */
  stop(): void;
};

export function singleFlight(fn: () => Promise<void>, options: { coalesce: boolean }): SingleFlight {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const start = (): Promise<void> => {
    again = false;
    const run: Promise<void> = fn().finally(() => {
      running = undefined;
      if (again && !stopped) void start();
    });
    running = run;
    // Errors are `fn`'s to handle; one that escapes must not become an unhandled rejection.
    run.catch(() => undefined);
    return run;
  };
  return {
    trigger() {
      if (stopped) return false;
      if (running) {
        if (options.coalesce) again = true;
        return false;
      }
      void start();
      return true;
    },
    async idle() {
      while (running) await running.catch(() => undefined);
    },
    stop() {
      stopped = true;
    },
  };
}
