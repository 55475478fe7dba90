import { index, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Webhook deliveries already applied. Two keys, either one makes a redelivery a no-op (also when two
 * arrive at once): the delivery id (Shopify `X-Shopify-Webhook-Id`, WooCommerce
 * `X-WC-Webhook-Delivery-ID`), and the hash of topic + raw body — the id header is NOT covered by the
 * HMAC, so a captured, signed body replayed under a fresh id must still count as seen.
 */
export const webhookReceipts = pgTable(
  'webhook_receipts',
  {
    provider: text('provider').notNull(),
    deliveryId: text('delivery_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** sha256 hex of `topic \n raw body`; null on receipts recorded before it existed. */
    bodyHash: text('body_hash'),
  },
  // received_at: the retention job deletes old receipts in bounded batches through this index.
  (t) => [
    primaryKey({ columns: [t.provider, t.deliveryId] }),
    index('webhook_receipts_received_at_idx').on(t.receivedAt),
    uniqueIndex('webhook_receipts_body_hash_uq').on(t.provider, t.bodyHash),
  ],
);

export type WebhookReceipt = typeof webhookReceipts.$inferSelect;
