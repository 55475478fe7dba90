import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { restockEvents } from './restock-events.js';

/**
 * One row per notification wave of a restock event. Unique on (event, wave number): a replayed or
 * concurrent planner inserts nothing, and the deliveries of a wave are queued only by the statement
 * that inserted its row.
 */
export const restockWaves = pgTable(
  'restock_waves',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    restockEventId: bigint('restock_event_id', { mode: 'number' })
      .notNull()
      .references(() => restockEvents.id),
    waveNo: integer('wave_no').notNull(),
    /** Quantity available when the wave was planned. */
    quantity: integer('quantity').notNull(),
    /** Most subscriptions this wave could queue; null = no limit (NOTIFY_PER_UNIT=0). */
    maxRecipients: integer('max_recipients'),
    queued: integer('queued').notNull().default(0),
    /** NOTIFY_PER_UNIT=auto: why the wave has its size, in one line for the console (size-next-wave.ts). */
    explanation: text('explanation'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /**
     * Set when the wave has queued all it may (or the waitlist ran out). A wave is queued in pages, one
     * transaction each, so the first emails leave while a 100k wave is still being queued; a planner
     * that finds a wave without `completed_at` (its predecessor crashed) continues it.
     */
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('restock_waves_event_wave_uq').on(t.restockEventId, t.waveNo),
    index('restock_waves_incomplete_idx').on(t.id).where(sql`${t.completedAt} is null`),
  ],
);

export type RestockWave = typeof restockWaves.$inferSelect;
