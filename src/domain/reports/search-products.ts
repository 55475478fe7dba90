import { asc, ilike, or } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { products } from '../../db/schema/index.js';

export type ProductHit = {
  sku: string;
  name: string;
  quantity: number;
  eta: string | null;
  imageUrl: string | null;
  url: string | null;
};

/** SKUs whose SKU or name contains `q` (case-insensitive), for the editor's "preview with a real product" box. */
export async function searchProducts(
  deps: Pick<Deps, 'db'>,
  input: { q: string; limit?: number | undefined },
): Promise<ProductHit[]> {
  const { q, limit = 20 } = input;
  const pattern = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return deps.db
    .select({
      sku: products.sku,
      name: products.name,
      quantity: products.quantity,
      eta: products.eta,
      imageUrl: products.imageUrl,
      url: products.url,
    })
    .from(products)
    .where(q ? or(ilike(products.sku, pattern), ilike(products.name, pattern)) : undefined)
    .orderBy(asc(products.sku))
    .limit(limit);
}
