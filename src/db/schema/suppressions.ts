import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Addresses that must not receive bulk mail for any SKU (unsubscribe-all, hard bounce, complaint). */
export const suppressions = pgTable('suppressions', {
  /** Normalized address (see `normalizeEmail`). */
  email: text('email').primaryKey(),
  reason: text('reason').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Suppression = typeof suppressions.$inferSelect;
