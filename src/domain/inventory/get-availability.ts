import { and, count, eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { products, subscriptions } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

export type Availability = {
  sku: string;
  name: string;
  /** The product page on the shop, when known. */
  url: string | null;
  /** A product image URL, when the shop sent one. */
  imageUrl: string | null;
  status: 'in_stock' | 'out_of_stock' | 'backorder';
  eta: string | null;
  etaReason: string | null;
  /**
   * Confirmed subscriptions waiting for this SKU, only with SHOW_WAITLIST_COUNT and only while it is
   * not in stock; else null. A real count (pending, unconfirmed signups are not counted).
   */
  waiting: number | null;
};

/**
 * What the widget shows for a SKU: `in_stock` at or above RESTOCK_MIN_QUANTITY, else `backorder`
 * when the shop takes backorders, else `out_of_stock`. The ETA is shown only while not in stock.
 * With SHOW_WAITLIST_COUNT, `waiting` counts the active subscriptions (index on sku, status).
 * @throws AppError UNKNOWN_SKU.
 */
export async function getAvailability(ctx: Pick<Deps, 'db' | 'config'>, input: { sku: string }): Promise<Availability> {
  const { sku } = input;
  const [p] = await ctx.db
    .select({
      sku: products.sku,
      name: products.name,
      url: products.url,
      imageUrl: products.imageUrl,
      quantity: products.quantity,
      backorderable: products.backorderable,
      eta: products.eta,
      etaReason: products.etaReason,
    })
    .from(products)
    .where(eq(products.sku, sku));
  if (!p) throw new AppError('UNKNOWN_SKU', `No product with SKU ${sku}.`);
  const inStock = p.quantity >= ctx.config.restock.minQuantity;
  let waiting: number | null = null;
  if (ctx.config.showWaitlistCount && !inStock) {
    const [row] = await ctx.db
      .select({ n: count() })
      .from(subscriptions)
      .where(and(eq(subscriptions.sku, p.sku), eq(subscriptions.status, 'active')));
    waiting = Number(row?.n ?? 0);
  }
  return {
    sku: p.sku,
    name: p.name,
    url: p.url,
    imageUrl: p.imageUrl,
    status: inStock ? 'in_stock' : p.backorderable ? 'backorder' : 'out_of_stock',
    eta: inStock ? null : p.eta,
    etaReason: inStock ? null : p.etaReason,
    waiting,
  };
}
