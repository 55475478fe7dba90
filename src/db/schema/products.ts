import { boolean, date, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** One row per SKU/variant the shop told us about. `quantity` is what is available to sell now. */
export const products = pgTable(
  'products',
  {
    sku: text('sku').primaryKey(),
    name: text('name').notNull(),
    url: text('url'),
    imageUrl: text('image_url'),
    quantity: integer('quantity').notNull().default(0),
    backorderable: boolean('backorderable').notNull().default(false),
    eta: date('eta', { mode: 'string' }),
    etaReason: text('eta_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('products_updated_at_idx').on(t.updatedAt)],
);

export type Product = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;
