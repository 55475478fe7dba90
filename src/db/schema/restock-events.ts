import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { inventoryEvents } from './inventory-events.js';
import { products } from './products.js';

/**
 * One row per detected restock. Unique on the inventory event that crossed the threshold, so a
 * replayed or concurrent scan inserts nothing new (ON CONFLICT DO NOTHING).
 */
export const restockEvents = pgTable(
  'restock_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sku: text('sku')
      .notNull()
      .references(() => products.sku, { onUpdate: 'cascade' }),
    /** Available quantity when the restock was confirmed (after the settle window). */
    quantity: integer('quantity').notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull(),
    /** The inventory event whose increase crossed the threshold: the idempotency key. */
    inventoryEventId: bigint('inventory_event_id', { mode: 'number' })
      .notNull()
      .references(() => inventoryEvents.id),
    /**
     * When the wave planner should look at this event next: its detection time at first, then the
     * end of each wave interval; null once no wave can follow (sold out, superseded by a newer
     * restock of the SKU). The planner reads only due events through a partial index, so its cost
     * does not grow with the history of restocks.
     */
    nextWaveAt: timestamp('next_wave_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('restock_events_inventory_event_uq').on(t.inventoryEventId),
    index('restock_events_sku_detected_idx').on(t.sku, t.detectedAt),
    index('restock_events_next_wave_idx').on(t.nextWaveAt).where(sql`${t.nextWaveAt} is not null`),
  ],
);

export type RestockEvent = typeof restockEvents.$inferSelect;
export type NewRestockEvent = typeof restockEvents.$inferInsert;
