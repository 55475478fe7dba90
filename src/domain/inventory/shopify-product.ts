import { z } from 'zod';
import { AppError } from '../../errors.js';
import { HttpUrl, Timestamp } from '../validation/text.js';
import type { InventoryChange } from './inventory-input.js';

const Id = z.union([z.number(), z.string()]);

/** The parts of Shopify's `products/update` payload we use; unknown fields are ignored. */
const ShopifyProduct = z.object({
  id: Id,
  title: z.string().min(1),
  handle: z.string().nullish(),
  updated_at: Timestamp,
  variants: z.array(
    z.object({
      id: Id,
      admin_graphql_api_id: z.string().nullish(),
      sku: z.string().nullish(),
      title: z.string().nullish(),
      inventory_quantity: z.number().int().nullish(),
      inventory_policy: z.string().nullish(),
      image_id: Id.nullish(),
    }),
  ),
  images: z.array(z.object({ id: Id, src: z.string() })).nullish(),
  image: z.object({ src: z.string() }).nullish(),
});

/**
 * Maps a Shopify product to one change per variant with a SKU (variants without one are not ours
 * to track). Shopify allows negative inventory (overselling with `inventory_policy: continue`): we
 * store 0 and mark the SKU backorderable. The product URL needs the shop's domain, which the signed
 * body does not carry: it comes from SHOPIFY_SHOP_DOMAIN, never from the unsigned
 * `X-Shopify-Shop-Domain` header (no URL without it).
 * @throws AppError VALIDATION when the payload is not a product.
 */
export function shopifyProductChanges(payload: unknown, shopDomain?: string): InventoryChange[] {
  const parsed = ShopifyProduct.safeParse(payload);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The Shopify payload is not a product.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const p = parsed.data;
  const sourceUpdatedAt = p.updated_at;
  const multi = p.variants.length > 1;
  const domain = shopDomain && /^[a-z0-9.-]+$/i.test(shopDomain) ? shopDomain : undefined;
  return p.variants
    .filter((v) => v.sku && v.sku.trim() !== '')
    .map((v) => {
      const image =
        p.images?.find((i) => String(i.id) === String(v.image_id))?.src ?? p.image?.src ?? p.images?.[0]?.src;
      const name = multi && v.title && v.title !== 'Default Title' ? `${p.title} - ${v.title}` : p.title;
      return {
        sku: v.sku!.trim(),
        name: Array.from(name).slice(0, 500).join(''),
        ...(v.inventory_quantity == null ? {} : { quantity: Math.max(0, v.inventory_quantity) }),
        ...(v.inventory_policy ? { backorderable: v.inventory_policy === 'continue' } : {}),
        ...(domain && p.handle
          ? { url: `https://${domain}/products/${p.handle}${multi ? `?variant=${variantId(v)}` : ''}` }
          : {}),
        // A cosmetic field that is not an http(s) URL (`javascript:`, `data:`) is dropped, not stored.
        ...(image && HttpUrl.safeParse(image).success ? { imageUrl: image } : {}),
        sourceUpdatedAt,
      };
    });
}

/**
 * Shopify ids can exceed 2^53 and lose digits in JSON.parse; the GraphQL id carries them as text.
 */
function variantId(v: { id: string | number; admin_graphql_api_id?: string | null }): string {
  const fromGid = v.admin_graphql_api_id ? /\/(\d+)$/.exec(v.admin_graphql_api_id)?.[1] : undefined;
  return fromGid ?? String(v.id);
}
