import { onInventoryDetected } from '../domain/backorders/on-inventory-detected.js';
import { scanInventory } from '../domain/detection/scan-inventory.js';
import { runExclusive } from './exclusive.js';
import type { Job } from './scheduler.js';

/**
 * `restock-scan`: turns inventory events into restock and ETA events. A tick runs on one instance
 * at a time (advisory lock); the others report `skipped`.
 */
export const restockScanJob: Job = async (deps, services, signal) => {
  const run = await runExclusive(deps, 'restock-scan', () => scanInventory(deps, { signal, onDetected: onInventoryDetected(deps, services.outbox.backorders) }));
  return run.ran ? run.result : { skipped: true, reason: 'another instance is running restock-scan' };
};
