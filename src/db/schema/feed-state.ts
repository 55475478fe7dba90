import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * What the last poll of an inventory feed saw, so the next one can send a conditional GET
 * (If-None-Match / If-Modified-Since) from any instance.
 */
export const feedState = pgTable('feed_state', {
  url: text('url').primaryKey(),
  etag: text('etag'),
  lastModified: text('last_modified'),
  checkedAt: timestamp('checked_at', { withTimezone: true }),
  changedAt: timestamp('changed_at', { withTimezone: true }),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
});

export type FeedState = typeof feedState.$inferSelect;
