import { sql } from 'drizzle-orm';
import { skipRules, type DeliveryKind } from './kind.js';

/** Stock was allocated to the order line: it ships soon (`ref` = the backorder line). Transactional. */
export const orderShippingSoon: DeliveryKind = {
  key: 'order-shipping-soon',
  channel: 'email',
  templateKey: 'order-shipping-soon',
  lane: 'transactional',
  ref: 'backorders',
  dedupeKey: ({ ref }) => sql`'order-shipping-soon:' || ${ref}`,
  skipWhen: skipRules.hardBounced,
  // Links stored by an older build are dropped once the row is final (this build signs them at send time).
  scrub: ['orderUrl', 'keepUrl', 'cancelUrl'],
  signedLinks: 'order',
  variables: ['name', 'orderLabel', 'productName', 'quantity'],
};
