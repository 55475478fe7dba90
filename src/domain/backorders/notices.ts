import type { Db } from '../../db/client.js';
import type { Backorder } from '../../db/schema/index.js';

/** The customer emails of an order line (transactional: they reach addresses that unsubscribed from alerts). */
export type BackorderNoticeKind = 'backorder-confirmed' | 'delivery-date-revised' | 'order-shipping-soon';

type BackorderNotice = {
  kind: BackorderNoticeKind;
  line: Backorder;
  /** Part of the idempotency key: one `delivery-date-revised` per line and revision; 0 for the others. */
  revision: number;
  variables: Record<string, unknown>;
};

/** Events the shop is told about through ORDER_EVENTS_WEBHOOK_URL (SPEC: outbound webhooks). */
type OrderEventType =
  | 'backorder.customer_waits'
  | 'backorder.customer_cancelled'
  | 'backorder.cancel_due'
  | 'backorder.unreachable';
type OrderEvent = { type: OrderEventType; line: Backorder; at: Date };

/**
 * Where backorder notices and order events go, inside the caller's transaction (so a notice is queued
 * exactly when the change that causes it commits). The composition root supplies the ledger-backed
 * implementation; domain code only knows this shape.
 */
export type BackorderOutbox = {
  notices(tx: Db, notices: BackorderNotice[]): Promise<void>;
  orderEvents(tx: Db, events: OrderEvent[]): Promise<void>;
};

/**
 * What every backorder email needs about its line; `productName` comes from `products`. Never the order
 * page link: it can cancel the order, so the sender signs it from the delivery's `ref_id` at send time
 * (src/sending/signed-links.ts) instead of keeping it in `deliveries.variables` until retention.
 */
export function lineVariables(line: Backorder, productName: string): Record<string, unknown> {
  return {
    name: line.customerName ?? '',
    orderLabel: line.orderLabel ?? line.orderId,
    productName,
    quantity: line.quantity,
  };
}

/** The webhook body's `data` for an order event: the line as the shop knows it, never the token. */
export function orderEventData(line: Backorder): Record<string, unknown> {
  return {
    orderId: line.orderId,
    sku: line.sku,
    quantity: line.quantity,
    status: line.status,
    email: line.email,
    promisedDate: line.promisedDate,
    expectedDate: line.expectedDate,
    consentDeadline: line.consentDeadline,
    customerAnswer: line.customerAnswer,
    unreachable: line.unreachable,
    creditApplied: line.creditApplied,
    /** Cancellation events: the prompt refund is due by this date (16 CFR 435.1). */
    refundDueBy: line.refundDueBy,
    refundedAt: line.refundedAt?.toISOString() ?? null,
  };
}
