import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { subscriptions } from './subscriptions.js';

/**
 * Every confirmation link issued, by the sha256 of its random token (a database leak reveals no live
 * link). A link stays valid until its own `expires_at` even after a newer one was sent: the shopper
 * may click any of the emails. Used links stay too, so a second click can answer "already
 * confirmed". Rows go with their subscription (purge, cascade).
 */
export const confirmationTokens = pgTable(
  'confirmation_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    subscriptionId: bigint('subscription_id', { mode: 'number' })
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('confirmation_tokens_subscription_idx').on(t.subscriptionId)],
);

export type ConfirmationToken = typeof confirmationTokens.$inferSelect;
