import { sql } from 'drizzle-orm';
import { skipRules, type DeliveryKind } from './kind.js';

/** A restock wave's email to one active subscription (`ref` = the restock event). */
export const backInStock: DeliveryKind = {
  key: 'back-in-stock',
  channel: 'email',
  templateKey: 'back-in-stock',
  lane: 'bulk',
  ref: 'restock_events',
  dedupeKey: ({ ref, subscription }) => sql`'restock:' || ${ref} || ':' || ${subscription}`,
  skipWhen: skipRules.optedOut,
  scrub: [],
  variables: ['productName', 'productUrl', 'imageUrl', 'quantity', 'showQuantity', 'restockedAt', 'name'],
  recipientVariables: ['name'],
};
