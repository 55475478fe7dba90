import type { Config } from '../config.js';
import type { ScheduledJob } from './scheduler.js';

/** Every scheduled job, with its schedule from config. Each job lives in its own file. */
export function scheduledJobs(config: Config): ScheduledJob[] {
  void config;
  return [];
}
