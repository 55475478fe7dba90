import { sql } from 'drizzle-orm';
import { skipRules, type DeliveryKind } from './kind.js';

/**
 * The double opt-in email of a pending subscription. One email per issued link (`nonce` = token id);
 * sent even to a suppressed address, since confirming is how one gets off the list. Every issued
 * link stays valid for its TTL, so an earlier, still-queued email is sent unless the subscription
 * stopped waiting for confirmation.
 */
export const confirmation: DeliveryKind = {
  key: 'confirmation',
  channel: 'email',
  templateKey: 'confirm',
  lane: 'transactional',
  ref: null,
  dedupeKey: ({ subscription, nonce }) => sql`'confirm:' || ${subscription} || ':' || ${nonce}`,
  skipWhen: skipRules.notPending,
  scrub: ['confirmUrl'],
  variables: ['productName', 'name', 'confirmUrl', 'ttlHours'],
  // Composed once per template and locale, the link and product spliced per message (ttlHours, a
  // number, is the frame key); `name` is always null today, but a row that carries one gets its own.
  recipientVariables: ['name', 'productName', 'confirmUrl'],
};
