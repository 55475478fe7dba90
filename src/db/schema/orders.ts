import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { deliveries } from './deliveries.js';

/**
 * Orders placed in the shop (POST /api/v1/orders, Shopify orders/create, WooCommerce order.created),
 * kept to measure what notifications brought in. The primary key is the shop's order id: a replay
 * (API retry, webhook redelivery, the same order from the API and a webhook) inserts nothing.
 * Only the canonical mailbox is kept (what attribution compares), not the address as typed.
 */
export const orders = pgTable(
  'orders',
  {
    orderId: text('order_id').primaryKey(),
    /** Where the order came from: `api`, `shopify`, `woocommerce`. */
    source: text('source').notNull(),
    /** `canonicalMailbox(email)`: plus-tag and Gmail dots removed, as the signup limits count mailboxes. */
    mailbox: text('mailbox').notNull(),
    /** ISO 4217 code; every line of an order is in its currency (amounts of two currencies are never added). */
    currency: text('currency').notNull(),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('orders_placed_at_idx').on(t.placedAt), check('orders_currency_ck', sql`${t.currency} ~ '^[A-Z]{3}$'`)],
);

/**
 * One line of an order. Money is exact: the unit price in the currency's minor units (ISO 4217
 * exponent: cents for EUR, yen for JPY, fils for KWD), summed as integers, never as floats.
 * `attributed_delivery_id` is the notification the line counts for (decided once, when the order is
 * recorded: the latest back-in-stock / eta-revised email of that SKU sent to the same mailbox within
 * ATTRIBUTION_WINDOW_DAYS before the order); null = not attributed. The SKU need not be known.
 */
export const orderLines = pgTable(
  'order_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.orderId, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: bigint('unit_price_minor', { mode: 'number' }).notNull(),
    attributedDeliveryId: bigint('attributed_delivery_id', { mode: 'number' }).references(() => deliveries.id, {
      onDelete: 'set null',
    }),
  },
  (t) => [
    uniqueIndex('order_lines_order_line_uq').on(t.orderId, t.lineNo),
    index('order_lines_sku_idx').on(t.sku),
    index('order_lines_attributed_idx').on(t.attributedDeliveryId).where(sql`${t.attributedDeliveryId} is not null`),
    check('order_lines_quantity_ck', sql`${t.quantity} > 0`),
    check('order_lines_price_ck', sql`${t.unitPriceMinor} >= 0`),
  ],
);

export type Order = typeof orders.$inferSelect;
export type OrderLine = typeof orderLines.$inferSelect;
