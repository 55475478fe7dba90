import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { products } from './products.js';

export const backorderStatus = pgEnum('backorder_status', [
  'open',
  'allocated',
  'fulfilled',
  'cancelled',
  'cancel_due',
]);
export type BackorderStatus = (typeof backorderStatus.enumValues)[number];

/**
 * One sold order line waiting for stock. Unique on (order_id, sku): registering the same line again
 * (API retry, webhook redelivery, bulk re-upload) finds the existing row instead of adding one.
 *
 * Dates are calendar dates (`date`), never timestamps: a promise is "ships by 14 March", and the
 * shop's and the customer's time zones must not move it by a day. The check constraints keep them
 * in a range where arithmetic (deadline = date + 30 days) cannot overflow or be nonsense.
 */
export const backorders = pgTable(
  'backorders',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: text('order_id').notNull(),
    /** What the customer knows the order as (Shopify `#1001`, WooCommerce number); null = `order_id`. */
    orderLabel: text('order_label'),
    sku: text('sku')
      .notNull()
      .references(() => products.sku, { onUpdate: 'cascade' }),
    email: text('email').notNull(),
    emailNormalized: text('email_normalized').notNull(),
    customerName: text('customer_name'),
    locale: text('locale'),
    quantity: integer('quantity').notNull(),
    status: backorderStatus('status').notNull().default('open'),
    orderedAt: timestamp('ordered_at', { withTimezone: true }).notNull(),
    /** The ship date the shop originally promised (16 CFR 435.2(a)(1) "applicable time"); never changes. */
    promisedDate: date('promised_date', { mode: 'string' }).notNull(),
    /** The buyer applied to the seller for credit to pay: 50-day applicable time, refund within one billing cycle. */
    creditApplied: boolean('credit_applied').notNull().default(false),
    /**
     * The date the line may ship by without asking the customer again: the applicable time, then the date
     * the customer consented to (by silence after a first notice of ≤ 30 days, or expressly), or while an
     * answer is awaited the consent deadline. Null = the promised date (lines from before this column); an
     * express agreement to wait without a date is `consented_indefinite`.
     */
    shipBy: date('ship_by', { mode: 'string' }),
    /** Cancelled or cancel_due: the prompt refund is due by this date (16 CFR 435.1 "prompt refund"). */
    refundDueBy: date('refund_due_by', { mode: 'string' }),
    /** When the shop reported the refund as made (PATCH refundedAt). */
    refundedAt: timestamp('refunded_at', { withTimezone: true }),
    /** The current expected ship date; null = the shop cannot give one (indefinite delay). */
    expectedDate: date('expected_date', { mode: 'string' }),
    /** Why the expected date is what it is (the shop's words, shown to the customer). */
    expectedReason: text('expected_reason'),
    /** Consent required and not given: unless the customer answers "wait" by this date, the line becomes cancel_due. */
    consentDeadline: date('consent_deadline', { mode: 'string' }),
    /** A delay option notice asked for an answer that has not come yet. */
    awaitingAnswer: boolean('awaiting_answer').notNull().default(false),
    /** How many delay option notices went out; the next notice's revision (idempotency key part). */
    noticeRevision: integer('notice_revision').notNull().default(0),
    /** The revised date the last notice gave (null when it gave none, or no notice yet). */
    noticedDate: date('noticed_date', { mode: 'string' }),
    /** The customer's last answer: `wait` or `cancel` (null = none). */
    customerAnswer: text('customer_answer'),
    /** The customer agreed to wait without a date: "no additional delay notices are required" (FTC business guide). */
    consentedIndefinite: boolean('consented_indefinite').notNull().default(false),
    /** A notice hard-bounced: the shop must call. */
    unreachable: boolean('unreachable').notNull().default(false),
    /** false: the shop sends its own mail; we record but never email this line. */
    notify: boolean('notify').notNull().default(true),
    /** The expected date whose lapse the late-lines job already announced (once per lapse). */
    lateNoticeFor: date('late_notice_for', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('backorders_order_sku_uq').on(t.orderId, t.sku),
    // Allocation and ETA fan-out read one SKU's open lines, oldest order first.
    index('backorders_sku_status_ordered_idx').on(t.sku, t.status, t.orderedAt, t.id),
    // The unreachable check after each send pass reads only recently changed, not yet flagged lines.
    index('backorders_recent_reachable_idx').on(t.updatedAt).where(sql`not ${t.unreachable}`),
    // The deadline job reads only lines waiting for an answer.
    index('backorders_deadline_idx').on(t.consentDeadline).where(sql`${t.awaitingAnswer}`),
    check('backorders_quantity_ck', sql`${t.quantity} between 1 and 1000000`),
    check('backorders_promised_range_ck', sql`${t.promisedDate} between '2000-01-01' and '2200-12-31'`),
    check(
      'backorders_expected_range_ck',
      sql`${t.expectedDate} is null or ${t.expectedDate} between '2000-01-01' and '2200-12-31'`,
    ),
  ],
);

export type Backorder = typeof backorders.$inferSelect;
export type NewBackorder = typeof backorders.$inferInsert;
