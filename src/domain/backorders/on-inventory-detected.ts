import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import type { Detected } from '../detection/scan-inventory.js';
import { allocateRestock } from './allocate-restock.js';
import type { BackorderOutbox } from './notices.js';
import { reviseLinesFromEta } from './revise-lines-from-eta.js';

/**
 * The restock scan's hook for order lines, run inside the scan batch's transaction: confirmed
 * restocks allocate stock to open lines (before any waitlist wave can be planned for them), announced
 * ETA revisions move open lines' expected dates and trigger delay notices.
 */
export function onInventoryDetected(deps: { clock: Clock; config: Parameters<typeof allocateRestock>[1] & Parameters<typeof reviseLinesFromEta>[1] }, outbox: BackorderOutbox) {
  return async (tx: Db, detected: Detected): Promise<void> => {
    const now = deps.clock.now();
    for (const sku of new Set(detected.restocks.map((r) => r.sku))) await allocateRestock(tx, deps.config, outbox, sku, now);
    if (detected.etas.length > 0) await reviseLinesFromEta(tx, deps.config, outbox, detected.etas, now);
  };
}
