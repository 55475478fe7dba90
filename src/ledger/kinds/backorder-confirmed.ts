import { sql } from 'drizzle-orm';
import { skipRules, type DeliveryKind } from './kind.js';

/**
 * "Your order line is on backorder, ships by …" (`ref` = the backorder line). Transactional: an order
 * notice is not marketing, so it reaches addresses that unsubscribed from alerts; only a hard-bounced
 * address is skipped (the line is then flagged unreachable).
 */
export const backorderConfirmed: DeliveryKind = {
  key: 'backorder-confirmed',
  channel: 'email',
  templateKey: 'backorder-confirmed',
  lane: 'transactional',
  ref: 'backorders',
  dedupeKey: ({ ref }) => sql`'backorder-confirmed:' || ${ref}`,
  skipWhen: skipRules.hardBounced,
  // Links stored by an older build are dropped once the row is final (this build signs them at send time).
  scrub: ['orderUrl', 'keepUrl', 'cancelUrl'],
  signedLinks: 'order',
  variables: ['name', 'orderLabel', 'productName', 'quantity', 'promisedDate'],
};
