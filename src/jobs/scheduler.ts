import cron, { type ScheduledTask } from 'node-cron';
import type { Deps } from '../deps.js';
import type { Services } from './services.js';
import { singleFlight, type SingleFlight } from './single-flight.js';

/**
 * A job is a plain function of deps, the process's services (src/jobs/services.ts) and an abort signal
 * that returns a JSON-able summary.
 */
export type Job = (deps: Deps, services: Services, signal: AbortSignal) => Promise<Record<string, unknown>>;

/** `enabled: false` keeps a job in the list (runnable on demand via the admin API) but off the schedule. */
export type ScheduledJob = { name: string; cron: string; run: Job; enabled?: boolean };

export type Scheduler = { stop(): Promise<void> };

/**
 * The only node-cron import. Each tick runs the job at its boundary: failures are logged with the
 * job's name and the scheduler keeps running. A tick that comes while the job's previous run is still
 * going is skipped (single-flight.ts, the one overlap guard), with a debug line (node-cron's own `noOverlap` would print an unstructured warning
 * to stderr on every such tick: a long wave with SEND_CRON every 10 s is normal, not a problem).
 * Whether a tick runs once across instances is the job's business (a job-run row or advisory lock).
 */
export function startScheduler(deps: Deps, services: Services, jobs: ScheduledJob[]): Scheduler {
  const controller = new AbortController();
  const guards: SingleFlight[] = [];
  const tasks: ScheduledTask[] = jobs
    .filter((job) => job.enabled !== false)
    .map((job) => {
      const guard = singleFlight(
        async () => {
          const started = performance.now();
          await job
            .run(deps, services, controller.signal)
            .then((summary) =>
              deps.log.info({ job: job.name, ms: Math.round(performance.now() - started), ...summary }, 'job finished'),
            )
            .catch((err: unknown) => deps.log.error({ job: job.name, err }, 'job failed'));
        },
        { coalesce: false },
      );
      guards.push(guard);
      return cron.schedule(
        job.cron,
        () => {
          if (!guard.trigger()) deps.log.debug({ job: job.name }, 'tick skipped: the previous run is still going');
        },
        { name: job.name },
      );
    });
  return {
    async stop() {
      controller.abort();
      for (const g of guards) g.stop();
      await Promise.all(tasks.map((t) => t.stop()));
      await Promise.all(guards.map((g) => g.idle()));
    },
  };
}
