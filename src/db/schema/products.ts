import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
    /** Newest `updated_at` of an applied webhook/feed payload: older deliveries are ignored. */
    sourceUpdatedAt: timestamp('source_updated_at', { withTimezone: true }),
    // Detection state, owned by the restock scan (src/domain/detection/).
    /** When the scan should next look at this SKU (new events, or a settle window ending); null = nothing to do. */
    scanAfter: timestamp('scan_after', { withTimezone: true }),
    /** Last `inventory_events.id` of this SKU the scan has consumed. */
    scannedEventId: bigint('scanned_event_id', { mode: 'number' }).notNull().default(0),
    /** True once a restock was announced (or the SKU was first seen in stock) until it drops below the threshold. */
    stockAnnounced: boolean('stock_announced').notNull().default(false),
    /** Set while a counted increase holds the quantity at the threshold, waiting out the settle window. */
    restockPendingSince: timestamp('restock_pending_since', { withTimezone: true }),
    restockPendingEventId: bigint('restock_pending_event_id', { mode: 'number' }),
    /** The ETA last announced (or taken as baseline) for the current out-of-stock period. */
    announcedEta: date('announced_eta', { mode: 'string' }),
  },
  (t) => [
    index('products_updated_at_idx').on(t.updatedAt),
    // The scan claims due SKUs through this partial index, never by reading every product.
    index('products_scan_after_idx').on(t.scanAfter).where(sql`${t.scanAfter} is not null`),
  ],
);

export type Product = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;
