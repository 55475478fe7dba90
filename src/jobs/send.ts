import type { Job } from './scheduler.js';

/**
 * `send` (SEND_CRON, default every 10 s): plans due restock waves and ETA notifications, then sends
 * every due delivery until none is left. Planning runs here rather than only after the restock scan
 * because later waves are time-driven (WAVE_INTERVAL_MINUTES) and this is the most frequent tick; a
 * new restock event is therefore planned at most one send tick after the scan records it.
 */
export const sendJob: Job = (deps, signal) => deps.sender.run(deps, { signal });
