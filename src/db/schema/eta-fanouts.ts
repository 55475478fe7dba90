import { bigint, boolean, integer, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { etaEvents } from './eta-events.js';

/** One row per ETA event whose `eta-revised` deliveries are (being) queued, or that a newer one superseded. */
export const etaFanouts = pgTable('eta_fanouts', {
  etaEventId: bigint('eta_event_id', { mode: 'number' })
    .primaryKey()
    .references(() => etaEvents.id),
  queued: integer('queued').notNull().default(0),
  /** A newer ETA event of the same SKU was pending too: only the newest date is announced. */
  superseded: boolean('superseded').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  /** Fan-out is paged by subscription id: the last id queued, and when the last page was done. */
  lastSubscriptionId: bigint('last_subscription_id', { mode: 'number' }).notNull().default(0),
  completedAt: timestamp('completed_at', { withTimezone: true }),
});
