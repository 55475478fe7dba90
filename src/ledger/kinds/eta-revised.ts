import { sql } from 'drizzle-orm';
import { skipRules, type DeliveryKind } from './kind.js';

/** A changed expected date, to the whole waitlist of the SKU (`ref` = the ETA event). */
export const etaRevised: DeliveryKind = {
  key: 'eta-revised',
  channel: 'email',
  templateKey: 'eta-revised',
  lane: 'bulk',
  ref: 'eta_events',
  dedupeKey: ({ ref, subscription }) => sql`'eta:' || ${ref} || ':' || ${subscription}`,
  skipWhen: skipRules.optedOut,
  scrub: [],
  variables: ['productName', 'productUrl', 'oldEta', 'newEta', 'reason', 'name'],
  recipientVariables: ['name'],
};
