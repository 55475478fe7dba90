import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Abuse-limit counters shared by every process on one PostgreSQL (issue 21: per-process limits
 * multiplied with the number of web processes). `key` is a hash (never an address or IP as given);
 * a row counts events in the window that ends at `expires_at`, after which the next event starts a
 * new window. `last_at` is the latest event (the login limits' growing delay runs from it).
 * Expired rows are deleted in passing (src/db/counters.ts).
 */
export const rateCounters = pgTable(
  'rate_counters',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_counters_expires_at_idx').on(t.expiresAt)],
);
