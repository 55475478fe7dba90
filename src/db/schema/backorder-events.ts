import { bigint, bigserial, date, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { backorders } from './backorders.js';

/**
 * Append-only history of a backorder line: every registration, status change, date revision,
 * notice and customer answer, with who did it and why. The customer page and GET …/backorders show it.
 */
export const backorderEvents = pgTable(
  'backorder_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    backorderId: bigint('backorder_id', { mode: 'number' })
      .notNull()
      .references(() => backorders.id, { onDelete: 'cascade' }),
    /** `registered`, `status`, `date_revised`, `notice`, `answer`, `cancel_due`, `allocated`, `unreachable`. */
    type: text('type').notNull(),
    /** Who: `api`, `bulk`, `shopify`, `woocommerce`, `customer`, `system`. */
    source: text('source').notNull(),
    oldStatus: text('old_status'),
    newStatus: text('new_status'),
    oldDate: date('old_date', { mode: 'string' }),
    newDate: date('new_date', { mode: 'string' }),
    reason: text('reason'),
    /** For `notice`: the template key and rule, e.g. `delivery-date-revised:first-silence`. */
    notice: text('notice'),
    /** For `answer`: `wait` or `cancel`. */
    answer: text('answer'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('backorder_events_line_idx').on(t.backorderId, t.id)],
);

export type BackorderEvent = typeof backorderEvents.$inferSelect;
export type NewBackorderEvent = typeof backorderEvents.$inferInsert;
