import { pollInventoryFeed } from '../domain/inventory/poll-inventory-feed.js';
import { runExclusive } from './exclusive.js';
import type { Job } from './scheduler.js';

/** `inventory-feed`: polls INVENTORY_FEED_URL (conditional GET) once per tick across instances. */
export const inventoryFeedJob: Job = async (deps) => {
  const url = deps.config.inventoryFeedUrl;
  if (!url) return { skipped: true, reason: 'INVENTORY_FEED_URL is not set' };
  const run = await runExclusive(deps, 'inventory-feed', () => pollInventoryFeed(deps, { url }));
  if (!run.ran) return { skipped: true, reason: 'another instance is polling the feed' };
  deps.log.info({ job: 'inventory-feed', ...run.result }, 'inventory feed polled');
  return run.result;
};
