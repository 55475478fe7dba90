import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import {
  backorderConfirmed,
  deliveryDateRevised,
  orderEvent,
  orderShippingSoon,
  type DeliveryKind,
} from '../../ledger/kinds/index.js';
import type { Outbox } from '../../ledger/outbox.js';
import type { WebhookBody } from '../../ledger/webhook-body.js';
import { orderEventData, type BackorderNoticeKind, type BackorderOutbox } from './notices.js';

const KIND: Record<BackorderNoticeKind, DeliveryKind> = {
  'backorder-confirmed': backorderConfirmed,
  'delivery-date-revised': deliveryDateRevised,
  'order-shipping-soon': orderShippingSoon,
};

/**
 * Backorder notices and order events as deliveries, queued through the one `Outbox` port (no second
 * path onto the ledger): each notice is one delivery of its kind (ref = the line, nonce = the
 * revision, so a replay queues nothing new); each order event is one `order-event` row on the webhook
 * channel, queued only when ORDER_EVENTS_WEBHOOK_URL is set. Always inside the caller's transaction.
 */
export function createLedgerOutbox(deps: {
  outbox: Outbox;
  config: Pick<Config, 'orderEventsWebhook'>;
}): BackorderOutbox {
  return {
    async notices(tx, notices) {
      for (const n of notices) {
        await deps.outbox.enqueue(tx, KIND[n.kind], {
          to: n.line.email,
          toNormalized: n.line.emailNormalized,
          locale: n.line.locale,
          variables: n.variables,
          refId: n.line.id,
          nonce: String(n.revision),
        });
      }
    },
    async orderEvents(tx, events) {
      const target = deps.config.orderEventsWebhook;
      if (!target) return;
      for (const e of events) {
        const body: WebhookBody = {
          id: randomUUID(),
          type: e.type,
          createdAt: e.at.toISOString(),
          data: orderEventData(e.line),
        };
        // The recipient column names the channel's target for people reading the ledger, never a secret.
        await deps.outbox.enqueue(tx, orderEvent, {
          to: 'order-events-webhook',
          toNormalized: 'order-events-webhook',
          variables: body,
          refId: e.line.id,
          nonce: body.id,
        });
      }
    },
  };
}
