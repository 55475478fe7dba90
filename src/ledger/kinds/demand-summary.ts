import { sql } from 'drizzle-orm';
import { skipRules, type DeliveryKind } from './kind.js';

/**
 * The daily demand summary for purchasing (`demand.daily_summary`: waitlist size and growth per SKU)
 * on the webhook channel, POSTed to DEMAND_WEBHOOK_URL, signed and retried like an order event. One
 * row per day (`nonce` = the summary's id, `demand-<date>`), so a second run the same day adds nothing.
 */
export const demandSummary: DeliveryKind = {
  key: 'demand-summary',
  channel: 'webhook',
  webhookTarget: (config) => config.demandWebhook,
  templateKey: 'demand-summary',
  // Transactional lane: one message a day for the shop, not marketing; it never waits behind a wave.
  lane: 'transactional',
  ref: null,
  dedupeKey: ({ nonce }) => sql`'demand:' || ${nonce}`,
  skipWhen: skipRules.never,
  scrub: [],
  variables: ['id', 'type', 'createdAt', 'data'],
};
