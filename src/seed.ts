import { inArray } from 'drizzle-orm';
import { loadConfigOrExit } from './load-config-or-exit.js';
import { createDatabase } from './db/client.js';
import { demoProducts, seedDemoProducts } from './db/demo-products.js';
import { migrateDatabase } from './db/migrate.js';
import { products } from './db/schema/index.js';

/** `npm run seed`: migrate, insert the demo products that are missing, print the catalogue's demo rows. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const database = await createDatabase(config.database);
  try {
    await migrateDatabase(database);
    const inserted = new Set(await seedDemoProducts(database.db));
    const rows = await database.db
      .select()
      .from(products)
      .where(
        inArray(
          products.sku,
          demoProducts.map((p) => p.sku as string),
        ),
      )
      .orderBy(products.sku);
    console.log(`Demo products (${inserted.size} inserted now, ${rows.length - inserted.size} already there):`);
    for (const p of rows) {
      const state =
        p.quantity >= config.restock.minQuantity
          ? `in stock (${p.quantity})`
          : p.backorderable
            ? `backorder, eta ${p.eta ?? '?'}`
            : 'out of stock';
      console.log(
        `  ${inserted.has(p.sku) ? '+' : ' '} ${p.sku.padEnd(18)} ${p.name.padEnd(28)} ${state.padEnd(26)} ${config.publicBaseUrl}/signup/${encodeURIComponent(p.sku)}`,
      );
    }
  } finally {
    await database.close();
  }
}

await main();
