import type { Config } from '../config.js';
import { purgeUnconfirmedJob } from './purge-unconfirmed.js';
import type { ScheduledJob } from './scheduler.js';

/** Every scheduled job, with its schedule from config. Each job lives in its own file. */
export function scheduledJobs(config: Config): ScheduledJob[] {
  void config;
  return [
    // Minute 17 of every hour: off the top of the hour, where other hourly work piles up.
    { name: 'purge-unconfirmed', cron: '17 * * * *', run: purgeUnconfirmedJob },
  ];
}
