import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Webhook delivery ids already applied (Shopify `X-Shopify-Webhook-Id`, WooCommerce
 * `X-WC-Webhook-Delivery-ID`). The primary key makes a redelivery a no-op, also when two arrive at once.
 */
export const webhookReceipts = pgTable(
  'webhook_receipts',
  {
    provider: text('provider').notNull(),
    deliveryId: text('delivery_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  // received_at: the retention job deletes old receipts in bounded batches through this index.
  (t) => [primaryKey({ columns: [t.provider, t.deliveryId] }), index('webhook_receipts_received_at_idx').on(t.receivedAt)],
);

export type WebhookReceipt = typeof webhookReceipts.$inferSelect;
