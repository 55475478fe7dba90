import { sql } from 'drizzle-orm';
import { skipRules, type DeliveryKind } from './kind.js';

/**
 * The delay option notice of 16 CFR 435.2(b) (`ref` = the backorder line, `nonce` = the notice's
 * revision on that line: one per line and revision). Also the one email of a line registered already
 * late (`atRegistration`) and of a line whose ship-by date passed with no option offered (`ruleLapsed`,
 * (c)(5)): every variant offers keep/cancel. Transactional; skipped only for a hard-bounced address.
 */
export const deliveryDateRevised: DeliveryKind = {
  key: 'delivery-date-revised',
  channel: 'email',
  templateKey: 'delivery-date-revised',
  lane: 'transactional',
  ref: 'backorders',
  dedupeKey: ({ ref, nonce }) => sql`'delivery-date-revised:' || ${ref} || ':' || ${nonce}`,
  skipWhen: skipRules.hardBounced,
  // Links stored by an older build are dropped once the row is final (this build signs them at send time).
  scrub: ['orderUrl', 'keepUrl', 'cancelUrl'],
  signedLinks: 'order',
  variables: [
    'name',
    'orderLabel',
    'productName',
    'quantity',
    'oldDate',
    'newDate',
    'reason',
    'deadline',
    'ruleSilence',
    'ruleConsent',
    'ruleInform',
    'ruleLapsed',
    'atRegistration',
  ],
};
