import type { ScheduledJob } from './scheduler.js';
import { countBatch } from '../domain/inventory/inventory-metrics.js';
import type { Metrics } from '../metrics/metrics.js';

type Summary = Record<string, unknown>;
const count = (s: Summary, key: string) => (typeof s[key] === 'number' ? (s[key] as number) : 0);

/**
 * What a job's summary says that the metrics count: events detected by the restock scan and rows the
 * feed poller applied. One mapping here instead of metric calls inside every job.
 */
function recordSummary(metrics: Metrics, job: string, s: Summary): void {
  if (job === 'restock-scan') {
    metrics.restockEvents.inc(count(s, 'restocks'));
    metrics.etaEvents.inc(count(s, 'etaRevisions'));
  } else if (job === 'inventory-feed') {
    countBatch(metrics, 'feed', {
      created: count(s, 'created'),
      updated: count(s, 'updated'),
      unchanged: count(s, 'unchanged'),
      rejected: count(s, 'rejected'),
    });
  }
}

/**
 * The same jobs, each run counted (ok / skipped / failed) and timed. A failure is re-thrown so the
 * scheduler still logs it; `skipped` is a tick another instance ran (advisory lock) or a job without
 * its configuration.
 */
export function observeJobs(jobs: ScheduledJob[], metrics: Metrics): ScheduledJob[] {
  return jobs.map((job) => ({
    ...job,
    run: async (deps, services, signal) => {
      const end = metrics.jobDuration.startTimer({ job: job.name });
      try {
        const summary = await job.run(deps, services, signal);
        metrics.jobRuns.inc({ job: job.name, outcome: summary.skipped === true ? 'skipped' : 'ok' });
        recordSummary(metrics, job.name, summary);
        return summary;
      } catch (err) {
        metrics.jobRuns.inc({ job: job.name, outcome: 'failed' });
        throw err;
      } finally {
        end();
      }
    },
  }));
}
