import { sql, type SQL } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { normalizeEmail } from '../subscriptions/validate-email.js';

export type EnqueueDeliveryInput = {
  /** Unique per (event, recipient), e.g. `confirm:<subscription id>:<n>`: a second enqueue is a no-op. */
  dedupeKey: string;
  to: string;
  /** Normalized address (compared with suppressions); defaults to `normalizeEmail(to)`. */
  toNormalized?: string;
  templateKey: string;
  locale?: string | null;
  variables: Record<string, unknown>;
  subscriptionId?: number | null;
  eventId?: number | null;
  /** Transactional mail (a confirmation) is sent to suppressed addresses and carries no List-* headers. */
  transactional?: boolean;
};

/**
 * Puts one message on the delivery ledger (status `queued`, due now). Idempotent on `dedupeKey`.
 * Pass a transaction as `db` to enqueue atomically with the change that caused the message.
 * @returns the delivery id, or undefined when the key already existed.
 */
export async function enqueueDelivery(deps: Deps, input: EnqueueDeliveryInput, db = deps.db): Promise<number | undefined> {
  const now = deps.clock.now().toISOString();
  const transactional = input.transactional ?? false;
  const rows = await deps.database.rows<{ id: number }>(
    sql`insert into deliveries (dedupe_key, recipient, recipient_normalized, template_key, locale, variables,
          subscription_id, event_id, bulk, priority, status, next_attempt_at, created_at, updated_at)
        values (${input.dedupeKey}, ${input.to}, ${input.toNormalized ?? normalizeEmail(input.to)}, ${input.templateKey},
          ${input.locale ?? null}, ${JSON.stringify(input.variables)}::jsonb, ${input.subscriptionId ?? null},
          ${input.eventId ?? null}, ${!transactional}, ${transactional ? 0 : 1}, 'queued',
          ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz)
        on conflict (dedupe_key) do nothing
        returning id`,
    db,
  );
  return rows[0]?.id;
}

/**
 * The INSERT of one bulk fan-out page, for use inside a `WITH picked AS (…)` that selects
 * subscriptions (`id, email, email_normalized, locale, name`): one delivery per picked row, keyed
 * `<kind>:<event id>:<subscription id>` (ON CONFLICT DO NOTHING, so a replayed page adds nothing),
 * due at `at`. Returns `subscription_id` of the rows it inserted.
 */
export function insertPickedDeliveries(o: {
  kind: 'restock' | 'eta';
  eventId: number;
  templateKey: string;
  variables: Record<string, unknown>;
  at: string;
}): SQL {
  return sql`insert into deliveries (dedupe_key, recipient, recipient_normalized, template_key, locale, variables,
      subscription_id, event_id, bulk, priority, status, next_attempt_at, created_at, updated_at)
    select ${`${o.kind}:${o.eventId}:`}::text || p.id, p.email, p.email_normalized, ${o.templateKey}, p.locale,
      ${JSON.stringify(o.variables)}::jsonb || jsonb_build_object('name', p.name), p.id, ${o.eventId}, true, 1, 'queued',
      ${o.at}::timestamptz, ${o.at}::timestamptz, ${o.at}::timestamptz
    from picked p
    on conflict (dedupe_key) do nothing
    returning subscription_id`;
}
