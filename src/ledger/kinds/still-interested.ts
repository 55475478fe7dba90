import { sql } from 'drizzle-orm';
import { skipRules, type DeliveryKind } from './kind.js';

/**
 * "Still interested?" to a subscription that has waited longer than REPERMISSION_AFTER_DAYS (consent
 * freshness). One per waiting period: `nonce` = the start of the period (epoch ms), so a shopper who
 * answered "keep me" is asked again only after a new period. Bulk: it carries the unsubscribe link.
 */
export const stillInterested: DeliveryKind = {
  key: 'still-interested',
  channel: 'email',
  templateKey: 'still-interested',
  lane: 'bulk',
  ref: null,
  dedupeKey: ({ subscription, nonce }) => sql`'still-interested:' || ${subscription} || ':' || ${nonce}`,
  skipWhen: skipRules.optedOut,
  scrub: ['keepUrl'],
  variables: ['productName', 'productUrl', 'keepUrl', 'waitingSince', 'graceDays', 'name'],
  recipientVariables: ['name', 'keepUrl'],
};
