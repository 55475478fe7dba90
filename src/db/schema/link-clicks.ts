import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { deliveries } from './deliveries.js';

/**
 * One row per request to a tracked link (GET/HEAD /r/{token}). `class`: `first` (the first click of a
 * person on this delivery — at most one, by the partial unique index), `repeat` (later clicks of a
 * person), `scanner` (HEAD, a known link-scanner user agent, or within 2 s of delivery; `reason` says
 * which). No IP address and no user agent are stored.
 */
export const linkClicks = pgTable(
  'link_clicks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: bigint('delivery_id', { mode: 'number' })
      .notNull()
      .references(() => deliveries.id, { onDelete: 'cascade' }),
    clickedAt: timestamp('clicked_at', { withTimezone: true }).notNull(),
    class: text('class').notNull(),
    reason: text('reason'),
  },
  (t) => [
    uniqueIndex('link_clicks_first_uq').on(t.deliveryId).where(sql`${t.class} = 'first'`),
    index('link_clicks_delivery_idx').on(t.deliveryId),
  ],
);

export type LinkClick = typeof linkClicks.$inferSelect;
