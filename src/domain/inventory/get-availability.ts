import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { products } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

export type Availability = {
  sku: string;
  name: string;
  /** The product page on the shop, when known. */
  url: string | null;
  status: 'in_stock' | 'out_of_stock' | 'backorder';
  eta: string | null;
  etaReason: string | null;
};

/**
 * What the widget shows for a SKU: `in_stock` at or above RESTOCK_MIN_QUANTITY, else `backorder`
 * when the shop takes backorders, else `out_of_stock`. The ETA is shown only while not in stock.
 * @throws AppError UNKNOWN_SKU.
 */
export async function getAvailability(deps: Pick<Deps, 'db' | 'config'>, sku: string): Promise<Availability> {
  const [p] = await deps.db
    .select({ sku: products.sku, name: products.name, url: products.url, quantity: products.quantity, backorderable: products.backorderable, eta: products.eta, etaReason: products.etaReason })
    .from(products)
    .where(eq(products.sku, sku));
  if (!p) throw new AppError('UNKNOWN_SKU', `No product with SKU ${sku}.`);
  const inStock = p.quantity >= deps.config.restock.minQuantity;
  return {
    sku: p.sku,
    name: p.name,
    url: p.url,
    status: inStock ? 'in_stock' : p.backorderable ? 'backorder' : 'out_of_stock',
    eta: inStock ? null : p.eta,
    etaReason: inStock ? null : p.etaReason,
  };
}
