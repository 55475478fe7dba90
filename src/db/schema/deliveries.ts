import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { subscriptions } from './subscriptions.js';

export const deliveryStatus = pgEnum('delivery_status', ['queued', 'sending', 'sent', 'retry', 'failed', 'skipped']);

/**
 * The delivery ledger: one row per (event, recipient) under `dedupe_key`, e.g.
 * `restock:<event id>:<subscription id>`, `eta:<event id>:<subscription id>`, `confirm:<subscription id>:<n>`
 * (each kind builds its own key: src/ledger/kinds/). Only src/ledger/ writes or claims these rows.
 * Inserting with ON CONFLICT DO NOTHING makes every producer idempotent; the sender claims due rows
 * with FOR UPDATE SKIP LOCKED and a lease.
 *
 * `next_attempt_at` is "when this row is next due": for queued/retry the next try, for `sending` the
 * lease end (= `claimed_until`), so one partial index serves both new work and expired claims.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    recipient: text('recipient').notNull(),
    /** Normalized address, compared with `suppressions.email` at send time. */
    recipientNormalized: text('recipient_normalized').notNull(),
    templateKey: text('template_key').notNull(),
    locale: text('locale'),
    /** What the template needs besides what the sender adds (shop name, unsubscribe URL). */
    variables: jsonb('variables').$type<Record<string, unknown>>().notNull().default({}),
    subscriptionId: bigint('subscription_id', { mode: 'number' }).references(() => subscriptions.id, {
      onDelete: 'set null',
    }),
    /** The delivery kind (src/ledger/kinds/): which rules apply to this row. */
    kind: text('kind').notNull(),
    /** What the kind refers to (its `ref`: a restock event for back-in-stock, an ETA event for eta-revised; null for confirmations). */
    refId: bigint('ref_id', { mode: 'number' }),
    /** Bulk mail gets List-* headers and is skipped for suppressed/unsubscribed recipients; transactional mail is not. */
    bulk: boolean('bulk').notNull().default(true),
    /** 0 = transactional (a confirmation must not wait behind a 100k restock wave), 1 = bulk. */
    priority: smallint('priority').notNull().default(1),
    status: deliveryStatus('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** Attempts whose outcome was unknown (connection lost after DATA): retried once only. */
    unknownOutcomes: integer('unknown_outcomes').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    claimedBy: text('claimed_by'),
    lastError: text('last_error'),
    smtpResponse: text('smtp_response'),
    messageId: text('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('deliveries_dedupe_key_uq').on(t.dedupeKey),
    // The claim's whole order (priority, next_attempt_at, id): a page of a wave shares one
    // next_attempt_at, and without `id` every claim read and sorted all due rows to take 100.
    index('deliveries_due_idx')
      .on(t.priority, t.nextAttemptAt, t.id)
      .where(sql`${t.status} in ('queued', 'retry', 'sending')`),
    index('deliveries_subscription_idx').on(t.subscriptionId),
    index('deliveries_kind_ref_idx').on(t.kind, t.refId),
  ],
);

export type Delivery = typeof deliveries.$inferSelect;
export type NewDelivery = typeof deliveries.$inferInsert;
