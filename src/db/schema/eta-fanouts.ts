import { bigint, boolean, integer, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { etaEvents } from './eta-events.js';

/** One row per ETA event once its `eta-revised` deliveries are queued (or it was superseded by a newer one). */
export const etaFanouts = pgTable('eta_fanouts', {
  etaEventId: bigint('eta_event_id', { mode: 'number' })
    .primaryKey()
    .references(() => etaEvents.id),
  queued: integer('queued').notNull().default(0),
  /** A newer ETA event of the same SKU was pending too: only the newest date is announced. */
  superseded: boolean('superseded').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
