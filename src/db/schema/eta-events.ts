import { bigint, bigserial, date, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { inventoryEvents } from './inventory-events.js';
import { products } from './products.js';

/**
 * One row per announced ETA revision of an out-of-stock SKU. Unique on the last inventory event the
 * scan consumed for that SKU, so a replayed or concurrent scan inserts nothing new.
 */
export const etaEvents = pgTable(
  'eta_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sku: text('sku')
      .notNull()
      .references(() => products.sku, { onUpdate: 'cascade' }),
    /** The previously announced date; null when the ETA is set for the first time. */
    oldEta: date('old_eta', { mode: 'string' }),
    newEta: date('new_eta', { mode: 'string' }).notNull(),
    reason: text('reason'),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull(),
    /** Idempotency key: the last inventory event of the scan that found the revision. */
    inventoryEventId: bigint('inventory_event_id', { mode: 'number' })
      .notNull()
      .references(() => inventoryEvents.id),
  },
  (t) => [
    uniqueIndex('eta_events_inventory_event_uq').on(t.inventoryEventId),
    index('eta_events_sku_detected_idx').on(t.sku, t.detectedAt),
  ],
);

export type EtaEvent = typeof etaEvents.$inferSelect;
export type NewEtaEvent = typeof etaEvents.$inferInsert;
