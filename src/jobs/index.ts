import type { Config } from '../config.js';
import { backorderDailyJob } from './backorder-daily.js';
import { demandPushJob } from './demand-push.js';
import { purgeUnconfirmedJob } from './purge-unconfirmed.js';
import { inventoryFeedJob } from './inventory-feed.js';
import { restockScanJob } from './restock-scan.js';
import { repermissionJob } from './repermission.js';
import { retentionJob } from './retention.js';
import { sendJob } from './send.js';
import type { ScheduledJob } from './scheduler.js';

/** Every scheduled job, with its schedule from config. Each job lives in its own file. */
export function scheduledJobs(config: Config): ScheduledJob[] {
  return [
    // Minute 17 of every hour: off the top of the hour, where other hourly work piles up.
    { name: 'purge-unconfirmed', cron: '17 * * * *', run: purgeUnconfirmedJob },
    { name: 'restock-scan', cron: config.cron.restockScan, run: restockScanJob },
    { name: 'send', cron: config.cron.send, run: sendJob },
    { name: 'retention', cron: config.retention.cron, run: retentionJob },
    { name: 'repermission', cron: config.repermission.cron, run: repermissionJob },
    // 00:05 UTC daily: consent deadlines and lapsed ship dates are day-granular.
    { name: 'backorder-daily', cron: '5 0 * * *', run: backorderDailyJob },
    // Listed always (so the admin API can name it); scheduled only when its endpoint is configured.
    { name: 'demand-push', cron: config.demandPushCron, run: demandPushJob, enabled: Boolean(config.demandWebhook) },
    // Listed always (so the admin API can name it); scheduled only when a feed is configured.
    {
      name: 'inventory-feed',
      cron: config.cron.inventoryFeed,
      run: inventoryFeedJob,
      enabled: Boolean(config.inventoryFeedUrl),
    },
  ];
}
