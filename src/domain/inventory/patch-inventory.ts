import type { Deps } from '../../deps.js';
import { eq } from 'drizzle-orm';
import { products } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import { applyInventoryChanges, type AppliedChange } from './apply-inventory-changes.js';
import type { InventoryChange } from './inventory-input.js';

/**
 * Partial update of a KNOWN product (SPEC: PATCH /api/v1/inventory/{sku}): any subset of the PUT
 * fields, e.g. only `eta` + `etaReason` when a supplier moves a date. Same history and detection as
 * PUT (it is `applyInventoryChanges` on one change), but it never creates a product: the row is
 * locked first, so a PATCH racing nothing-but-itself cannot invent a SKU.
 * @throws AppError UNKNOWN_SKU (404) when the SKU is not known.
 */
export async function patchInventory(
  deps: Pick<Deps, 'db' | 'clock'>,
  change: InventoryChange,
): Promise<AppliedChange> {
  return withTx(deps.db, async (tx) => {
    const [row] = await tx
      .select({ sku: products.sku })
      .from(products)
      .where(eq(products.sku, change.sku))
      .for('update');
    if (!row) throw new AppError('UNKNOWN_SKU', `No product with SKU "${change.sku}".`);
    const [result] = await applyInventoryChanges({ db: tx, clock: deps.clock }, { changes: [change], source: 'api' });
    return result!;
  });
}
