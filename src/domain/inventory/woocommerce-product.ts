import { z } from 'zod';
import { AppError } from '../../errors.js';
import { HttpUrl, Timestamp } from '../validation/text.js';
import type { InventoryChange } from './inventory-input.js';

/** The parts of a WooCommerce product webhook payload we use; unknown fields are ignored. */
const WooProduct = z.object({
  id: z.number().int(),
  name: z.string(),
  sku: z.string().nullish(),
  permalink: z.string().nullish(),
  date_modified_gmt: Timestamp.nullish(),
  manage_stock: z.boolean().nullish(),
  stock_quantity: z.number().int().nullish(),
  stock_status: z.string().nullish(),
  backorders: z.string().nullish(),
  images: z.array(z.object({ src: z.string() })).nullish(),
});

/**
 * Maps a WooCommerce product to at most one change (a product without a SKU is not tracked → []).
 * Quantity: `stock_quantity` when the shop manages stock; otherwise only `stock_status` is known, and
 * `instock` becomes `minQuantity` (just enough to count as in stock) while `outofstock`/`onbackorder`
 * become 0. Backorderable: `backorders` is `notify` or `yes`, or the status is `onbackorder`.
 * `date_modified_gmt` (UTC without a zone suffix) orders deliveries.
 * @throws AppError VALIDATION when the payload is not a product.
 */
export function wooProductChanges(payload: unknown, minQuantity: number): InventoryChange[] {
  const parsed = WooProduct.safeParse(payload);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The WooCommerce payload is not a product.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const p = parsed.data;
  const sku = p.sku?.trim();
  if (!sku) return [];
  let quantity: number | undefined;
  if (p.manage_stock !== false && typeof p.stock_quantity === 'number') quantity = Math.max(0, p.stock_quantity);
  else if (p.stock_status === 'instock') quantity = minQuantity;
  else if (p.stock_status === 'outofstock' || p.stock_status === 'onbackorder') quantity = 0;
  const modified = p.date_modified_gmt ?? undefined;
  const image = p.images?.[0]?.src;
  return [
    {
      sku,
      ...(p.name.trim() ? { name: Array.from(p.name.trim()).slice(0, 500).join('') } : {}),
      ...(quantity === undefined ? {} : { quantity }),
      ...(p.backorders || p.stock_status
        ? { backorderable: p.backorders === 'notify' || p.backorders === 'yes' || p.stock_status === 'onbackorder' }
        : {}),
      // Cosmetic fields that are not http(s) URLs (`javascript:`, `data:`) are dropped, not stored.
      ...(p.permalink && HttpUrl.safeParse(p.permalink).success ? { url: p.permalink } : {}),
      ...(image && HttpUrl.safeParse(image).success ? { imageUrl: image } : {}),
      ...(modified ? { sourceUpdatedAt: modified } : {}),
    },
  ];
}
