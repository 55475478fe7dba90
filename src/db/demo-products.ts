import { sql } from 'drizzle-orm';
import { rows, type Db } from './client.js';
import { products, type NewProduct } from './schema/index.js';

/** A small catalogue so a fresh install can be tried at once: `/signup/<sku>` works for the out-of-stock ones. */
export const demoProducts: NewProduct[] = [
  { sku: 'DEMO-TEE-BLUE-M', name: 'Organic tee, blue, M', url: 'https://shop.example/products/tee-blue', quantity: 0 },
  // Two more sizes of the tee, so /demo's variant picker shows all three widget states.
  { sku: 'DEMO-TEE-BLUE-S', name: 'Organic tee, blue, S', url: 'https://shop.example/products/tee-blue', quantity: 12 },
  {
    sku: 'DEMO-TEE-BLUE-L',
    name: 'Organic tee, blue, L',
    url: 'https://shop.example/products/tee-blue',
    quantity: 0,
    backorderable: true,
    eta: '2027-01-12',
  },
  { sku: 'DEMO-MUG-12OZ', name: 'Stoneware mug, 12 oz', url: 'https://shop.example/products/mug', quantity: 0 },
  {
    sku: 'DEMO-DESK-OAK',
    name: 'Oak standing desk',
    url: 'https://shop.example/products/desk-oak',
    quantity: 0,
    backorderable: true,
    eta: '2026-12-15',
    etaReason: 'Next container from the workshop',
  },
  { sku: 'DEMO-SOCKS-3PK', name: 'Merino socks, 3-pack', url: 'https://shop.example/products/socks', quantity: 25 },
];

/**
 * Inserts the demo products that are not there yet (ON CONFLICT DO NOTHING: running it twice, or
 * after the shop changed a demo row, changes nothing). @returns the SKUs inserted now.
 */
export async function seedDemoProducts(db: Db): Promise<string[]> {
  const inserted = await db
    .insert(products)
    .values(demoProducts)
    .onConflictDoNothing({ target: products.sku })
    .returning({ sku: products.sku });
  return inserted.map((r) => r.sku);
}

/** True when the products table has no row at all (a fresh install). */
export async function productsEmpty(db: Db): Promise<boolean> {
  const found = await rows<{ any: boolean }>(db, sql`select exists (select 1 from products) as any`);
  return found[0]?.any !== true;
}

/** The first demo product that is out of stock (its signup page is the one worth trying), if the demo catalogue is there. */
export async function firstDemoSku(db: Db): Promise<string | undefined> {
  const skus = demoProducts.filter((p) => p.quantity === 0).map((p) => p.sku);
  const found = await rows<{ sku: string }>(
    db,
    sql`select sku from products where sku = any(${`{${skus.join(',')}}`}::text[]) and quantity = 0 order by sku limit 1`,
  );
  return found[0]?.sku;
}
