import { sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import { rows, type Db } from '../db/client.js';
import { normalizeEmail } from '../mail/address.js';
import type { DeliveryKind } from './kinds/index.js';

// The one column list of an INSERT into deliveries (single, fan-out and the signup batch share it).
const COLUMNS = sql.raw(`(kind, dedupe_key, recipient, recipient_normalized, template_key, locale, variables,
  subscription_id, ref_id, bulk, priority, status, next_attempt_at, created_at, updated_at)`);

/** The lane's ledger columns: transactional mail goes first (priority 0) and carries no List-* headers. */
function laneOf(kind: DeliveryKind): { bulk: boolean; priority: number } {
  return kind.lane === 'transactional' ? { bulk: false, priority: 0 } : { bulk: true, priority: 1 };
}

export type EnqueueInput = {
  to: string;
  /** Normalized address (compared with suppressions); defaults to `normalizeEmail(to)`. */
  toNormalized?: string;
  locale?: string | null;
  variables: Record<string, unknown>;
  subscriptionId?: number | null;
  refId?: number | null;
  /** The kind's per-message discriminator in its dedupe key (e.g. a token id). */
  nonce?: string | null;
};

/**
 * Puts one message of `kind` on the delivery ledger (status `queued`, due now). Idempotent on the
 * kind's dedupe key. Pass the caller's transaction as `db` to enqueue atomically with the change that
 * caused the message. @returns the delivery id, or undefined when the key already existed.
 */
export async function enqueueDelivery(
  deps: { clock: Clock },
  db: Db,
  kind: DeliveryKind,
  input: EnqueueInput,
): Promise<number | undefined> {
  const now = deps.clock.now().toISOString();
  const { bulk, priority } = laneOf(kind);
  const key = kind.dedupeKey({
    ref: sql`${input.refId ?? null}::bigint`,
    subscription: sql`${input.subscriptionId ?? null}::bigint`,
    nonce: sql`${input.nonce ?? null}::text`,
  });
  const inserted = await rows<{ id: number }>(
    db,
    sql`insert into deliveries ${COLUMNS}
        values (${kind.key}, ${key}, ${input.to}, ${input.toNormalized ?? normalizeEmail(input.to)}, ${kind.templateKey},
          ${input.locale ?? null}, ${JSON.stringify(input.variables)}::jsonb, ${input.subscriptionId ?? null},
          ${input.refId ?? null}, ${bulk}, ${priority}, 'queued', ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz)
        on conflict (dedupe_key) do nothing
        returning id`,
  );
  return inserted[0]?.id;
}

/**
 * The INSERT of a set-based fan-out, for use inside a `WITH` whose relation `from` has columns
 * `subscription_id, email, email_normalized, locale, name` and, optionally, `nonce` and `variables`
 * (jsonb, merged over the shared `variables`). One delivery of `kind` per row (ON CONFLICT DO NOTHING on
 * the kind's dedupe key, so a replayed page adds nothing), due at `at`. Returns `subscription_id` of
 * the rows it inserted.
 */
export function fanOutInsert(o: {
  kind: DeliveryKind;
  from: SQL;
  refId?: number | null;
  variables?: Record<string, unknown>;
  /** Per-row variables expression on `p` (jsonb); default `jsonb_build_object('name', p.name)`. */
  rowVariables?: SQL;
  /** Per-row nonce expression on `p`; default NULL. */
  nonce?: SQL;
  at: string;
}): SQL {
  const { bulk, priority } = laneOf(o.kind);
  const ref = sql`${o.refId ?? null}::bigint`;
  const nonce = o.nonce ?? sql`null::text`;
  const key = o.kind.dedupeKey({ ref, subscription: sql`p.subscription_id`, nonce });
  const rowVars = o.rowVariables ?? sql`jsonb_build_object('name', p.name)`;
  return sql`insert into deliveries ${COLUMNS}
    select ${o.kind.key}, ${key}, p.email, p.email_normalized, ${o.kind.templateKey}, p.locale,
      ${JSON.stringify(o.variables ?? {})}::jsonb || ${rowVars}, p.subscription_id, ${ref}, ${bulk}, ${priority}, 'queued',
      ${o.at}::timestamptz, ${o.at}::timestamptz, ${o.at}::timestamptz
    from ${o.from} p
    on conflict (dedupe_key) do nothing
    returning subscription_id`;
}
