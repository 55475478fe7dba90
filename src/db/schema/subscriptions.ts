import { sql } from 'drizzle-orm';
import { bigserial, index, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { products } from './products.js';

export const subscriptionStatus = pgEnum('subscription_status', ['pending', 'active', 'notified', 'unsubscribed']);

/**
 * A shopper's "notify me" for one SKU. Unique on (normalized email, sku): the database, not the
 * application, guarantees one row per shopper and SKU, also under concurrent signups.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    email: text('email').notNull(),
    emailNormalized: text('email_normalized').notNull(),
    sku: text('sku')
      .notNull()
      .references(() => products.sku, { onUpdate: 'cascade' }),
    locale: text('locale'),
    name: text('name'),
    status: subscriptionStatus('status').notNull().default('pending'),
    source: text('source'),
    /** When the newest confirmation link expires (purge-unconfirmed deletes a pending row after it); links: confirmation_tokens. */
    confirmExpiresAt: timestamp('confirm_expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
    /** When the shopper last answered "yes, keep me on the list" (re-permission); restarts the waiting clock. */
    consentRenewedAt: timestamp('consent_renewed_at', { withTimezone: true }),
    /** When the current "still interested?" email was queued; null = not asked in this cycle. */
    repermissionAskedAt: timestamp('repermission_asked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('subscriptions_email_sku_uq').on(t.emailNormalized, t.sku),
    // Restock waves pick the oldest confirmed active subscriptions of one SKU.
    index('subscriptions_sku_status_confirmed_idx').on(t.sku, t.status, t.confirmedAt, t.id),
    index('subscriptions_pending_expiry_idx').on(t.confirmExpiresAt).where(sql`${t.status} = 'pending'`),
    // Re-permission: active rows not yet asked, by how long they have waited; and asked rows by when.
    index('subscriptions_waiting_since_idx')
      .on(sql`coalesce(${t.consentRenewedAt}, ${t.confirmedAt}, ${t.createdAt})`)
      .where(sql`${t.status} = 'active' and ${t.repermissionAskedAt} is null`),
    index('subscriptions_repermission_asked_idx')
      .on(t.repermissionAskedAt)
      .where(sql`${t.status} = 'active' and ${t.repermissionAskedAt} is not null`),
  ],
);

export type Subscription = typeof subscriptions.$inferSelect;
export type NewSubscription = typeof subscriptions.$inferInsert;
