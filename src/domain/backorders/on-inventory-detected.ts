import { and, eq, inArray } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { backorders } from '../../db/schema/index.js';
import type { Detected } from '../detection/scan-inventory.js';
import type { DelayConfig } from './apply-delay-notices.js';
import { type AllocateConfig, allocateRestock } from './allocate-restock.js';
import type { BackorderOutbox } from './notices.js';
import { reviseLinesFromEta } from './revise-lines-from-eta.js';

/**
 * The restock scan's hook for order lines, run inside the scan batch's transaction: confirmed
 * restocks allocate stock to open lines (before any waitlist wave can be planned for them), announced
 * ETA revisions move open lines' expected dates and trigger delay notices.
 */
export function onInventoryDetected(deps: {
  clock: Clock;
  config: AllocateConfig & DelayConfig;
  outbox: BackorderOutbox;
}) {
  const { outbox } = deps;
  return async (tx: Db, detected: Detected): Promise<void> => {
    const now = deps.clock.now();
    const restocked = [...new Set(detected.restocks.map((r) => r.sku))];
    // One indexed look for the batch first: most restocked SKUs have no open order line, and a
    // per-SKU allocation (three statements each) made a 1,000-SKU scan tick take seconds.
    const withLines =
      restocked.length === 0
        ? []
        : await tx
            .selectDistinct({ sku: backorders.sku })
            .from(backorders)
            .where(and(inArray(backorders.sku, restocked), eq(backorders.status, 'open')));
    const ctx = { tx, config: deps.config, outbox };
    for (const { sku } of withLines) await allocateRestock(ctx, { sku, now });
    if (detected.etas.length > 0) await reviseLinesFromEta(ctx, { revisions: detected.etas, now });
  };
}
