import { bigserial, date, index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { products } from './products.js';

export const inventorySource = pgEnum('inventory_source', ['api', 'bulk', 'shopify', 'woocommerce', 'feed']);
export type InventorySource = (typeof inventorySource.enumValues)[number];

/**
 * Append-only inventory history: one row per accepted change of quantity, ETA or ETA reason.
 * A no-op update appends nothing. The restock scan reads a SKU's rows after its cursor
 * (`products.scanned_event_id`) through `(sku, id)`.
 */
export const inventoryEvents = pgTable(
  'inventory_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sku: text('sku')
      .notNull()
      .references(() => products.sku, { onUpdate: 'cascade' }),
    /** Null when this event created the product. */
    oldQuantity: integer('old_quantity'),
    newQuantity: integer('new_quantity').notNull(),
    oldEta: date('old_eta', { mode: 'string' }),
    newEta: date('new_eta', { mode: 'string' }),
    etaReason: text('eta_reason'),
    /** Caller's reason (`restock`, `return`, `adjustment`, …); `return` increases may not count. */
    reason: text('reason'),
    source: inventorySource('source').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('inventory_events_sku_id_idx').on(t.sku, t.id)],
);

export type InventoryEvent = typeof inventoryEvents.$inferSelect;
export type NewInventoryEvent = typeof inventoryEvents.$inferInsert;
