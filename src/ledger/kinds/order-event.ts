import { sql } from 'drizzle-orm';
import { skipRules, type DeliveryKind } from './kind.js';

/**
 * An order event for the shop (`backorder.customer_waits`, `…customer_cancelled`, `…cancel_due`,
 * `…unreachable`) on the webhook channel: POSTed to ORDER_EVENTS_WEBHOOK_URL as the row's variables
 * `{id, type, createdAt, data}`, signed `X-Restock-Signature: sha256=…`, retried with backoff until a
 * 2xx. `ref` = the backorder line, `nonce` = the event id (one row per event; the producers emit an
 * event only in the transaction of the state change, so a replay emits none).
 */
export const orderEvent: DeliveryKind = {
  key: 'order-event',
  channel: 'webhook',
  webhookTarget: (config) => config.orderEventsWebhook,
  templateKey: 'order-event',
  lane: 'transactional',
  ref: 'backorders',
  dedupeKey: ({ ref, nonce }) => sql`'order-event:' || ${ref} || ':' || ${nonce}`,
  skipWhen: skipRules.never,
  scrub: [],
  variables: ['id', 'type', 'createdAt', 'data'],
};
