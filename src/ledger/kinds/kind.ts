import { sql, type SQL } from 'drizzle-orm';
import type { Config } from '../../config.js';

/**
 * One kind of message on the delivery ledger. Everything the ledger does differently per kind is
 * declared here, so the ledger's statements (enqueue, fan-out, claim, record) are composed from the
 * registry instead of testing template keys. See kinds/index.ts for the recipe to add one.
 */
export type DeliveryKind = {
  /** Stored in `deliveries.kind`; unique in the registry. */
  key: string;
  /**
   * How the message leaves: `email` (rendered from the template, sent over SMTP) or `webhook` (the
   * row's variables POSTed as JSON to the shop's endpoint, signed; a 2xx is delivery).
   */
  channel: 'email' | 'webhook';
  /** Webhook channel only: which configured endpoint receives this kind (undefined = not configured). */
  webhookTarget?: (config: Config) => { url: string; secret: string } | undefined;
  /** The template rendered for it (`templates/<templateKey>.mjml`). */
  templateKey: string;
  /**
   * transactional: priority 0 (never waits behind a bulk wave), no List-* headers, no unsubscribe
   * link. bulk: priority 1, List-Unsubscribe headers and link.
   */
  lane: 'transactional' | 'bulk';
  /** What `deliveries.ref_id` points at, for people reading the table (`null`: nothing). */
  ref: 'restock_events' | 'eta_events' | 'backorders' | null;
  /**
   * The dedupe key as a SQL expression of its parts — the one place it is built, for a single
   * enqueue and for set-based INSERT … SELECTs alike. `ref` is the ref id, `subscription` the
   * subscription id, `nonce` a per-message discriminator (e.g. a token id) or NULL.
   */
  dedupeKey(parts: { ref: SQL; subscription: SQL; nonce: SQL }): SQL;
  /**
   * Claim-time skip rule: a boolean SQL expression on the claimed row `d` (a `deliveries` row). True
   * means "do not send any more" (recorded as `skipped`). Use the fragments in this file.
   */
  skipWhen: SQL;
  /** Variables dropped from the row once it is final (sent/failed/skipped): live secrets such as a token URL. */
  scrub: readonly string[];
  /**
   * Links the sender signs from `ref_id` when it composes the message, never stored on the row (a
   * token URL in `deliveries.variables` would outlive the send until retention deletes the row):
   * `order` = `orderUrl`, `keepUrl` and `cancelUrl` of the backorder line (src/sending/signed-links.ts).
   */
  signedLinks?: 'order';
  /** Variables the producer must put on the row for the template (the sender adds shopName, locale, unsubscribeUrl). */
  variables: readonly string[];
  /**
   * Kinds sent in volume (bulk waves and batches, double opt-in confirmations): the variables that
   * differ from recipient to recipient. The rest of a row's variables is the same for many rows (a
   * wave's product, dates, a link's lifetime): the claim returns it as text and the sender parses it
   * once per distinct value, and the message is composed once per distinct value and template and only
   * these are spliced in per recipient (src/mail/message-frame.ts); a kind's `signedLinks` are spliced
   * too. Declaring a varying variable as shared costs speed, never correctness (the shared text is the
   * key). Unset: every variable is per message.
   */
  recipientVariables?: readonly string[];
};

/** Claim-time skip fragments on the claimed row `d`, shared by kinds. */
export const skipRules = {
  never: sql`false`,
  /** Bulk consent is gone: the subscription was unsubscribed or the address is suppressed (any reason). */
  optedOut: sql`(exists (select 1 from subscriptions s where s.id = d.subscription_id and s.status = 'unsubscribed')
    or exists (select 1 from suppressions x where x.email = d.recipient_normalized))`,
  /** The address hard-bounced: even transactional mail would bounce again. */
  hardBounced: sql`exists (select 1 from suppressions x where x.email = d.recipient_normalized and x.reason = 'hard_bounce')`,
  /** The subscription is no longer waiting for confirmation (confirmed, unsubscribed or purged). */
  notPending: sql`not exists (select 1 from subscriptions s where s.id = d.subscription_id and s.status = 'pending')`,
};
