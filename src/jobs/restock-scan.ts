import { onInventoryDetected } from '../domain/backorders/on-inventory-detected.js';
import { scanInventory } from '../domain/detection/scan-inventory.js';
import { withSettings } from '../domain/settings/effective-settings.js';
import { runExclusive } from './exclusive.js';
import type { Job } from './scheduler.js';

/**
 * `restock-scan`: turns inventory events into restock and ETA events. A tick runs on one instance
 * at a time (advisory lock); the others report `skipped`.
 */
export const restockScanJob: Job = async (deps, services, signal) => {
  // Settle time, ETA threshold and per-unit allocation as the console set them, read afresh each run.
  const run = await runExclusive(deps, 'restock-scan', async () => {
    const d = await withSettings(deps, { fresh: true });
    return scanInventory(d, { signal, onDetected: onInventoryDetected({ ...d, outbox: services.outbox.backorders }) });
  });
  return run.ran ? run.result : { skipped: true, reason: 'another instance is running restock-scan' };
};
