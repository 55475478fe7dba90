import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import { preparedStatement, type Db } from '../db/client.js';
import { deliveryKinds, type KindRegistry } from './kinds/index.js';

export type ClaimedDelivery = {
  id: number;
  kind: string;
  recipient: string;
  recipientNormalized: string;
  templateKey: string;
  locale: string | null;
  /**
   * The row's own variables: all of them, or — for a kind with `recipientVariables` — only those;
   * the rest is `sharedVariables`.
   */
  variables: Record<string, unknown>;
  /**
   * The variables many rows share (a wave's product and dates) as JSON text, or null: the sender
   * parses each distinct text once instead of once per message, and keys its composed messages by it.
   */
  sharedVariables: string | null;
  subscriptionId: number | null;
  /** What the kind refers to (`deliveries.ref_id`): the sender signs a kind's `signedLinks` from it. */
  refId: number | null;
  bulk: boolean;
  attempts: number;
  unknownOutcomes: number;
  /** When the row was queued: the queue lifetime (DELIVERY_MAX_AGE_HOURS) counts from here. */
  createdAt: Date;
  /** The kind's claim-time skip rule held (see src/ledger/kinds/): record it as skipped, do not send. */
  skip: boolean;
};

type ClaimRow = {
  id: number;
  kind: string;
  recipient: string;
  recipient_normalized: string;
  template_key: string;
  locale: string | null;
  variables: Record<string, unknown>;
  shared_variables: string | null;
  subscription_id: number | null;
  ref_id: number | string | null;
  bulk: boolean;
  attempts: number;
  unknown_outcomes: number;
  created_epoch: number | string;
  skip: boolean;
};

/** The claim statement of a kind registry, built once (preparedStatement): a claim only fills in its parameters. */
const claimStatements = new WeakMap<KindRegistry, ReturnType<typeof buildClaimStatement>>();
function claimStatement(kinds: KindRegistry) {
  let statement = claimStatements.get(kinds);
  if (!statement) claimStatements.set(kinds, (statement = buildClaimStatement(kinds)));
  return statement;
}

function buildClaimStatement(kinds: KindRegistry) {
  const keys = kinds.recipientKeysSql();
  return preparedStatement<[string, string, string, number, number], ClaimRow>(
    (workerId, lease, at, maxPriority, limit) => sql`
    update deliveries d
    set status = 'sending', attempts = d.attempts + 1, claimed_by = ${workerId},
        claimed_until = ${lease}::timestamptz, next_attempt_at = ${lease}::timestamptz, updated_at = ${at}::timestamptz
    from (
      select id from deliveries
      where status in ('queued', 'retry', 'sending') and next_attempt_at <= ${at}::timestamptz
        and priority <= ${maxPriority}
      order by priority, next_attempt_at, id
      limit ${limit}
      for update skip locked
    ) due
    where d.id = due.id
    returning d.id, d.kind, d.recipient, d.recipient_normalized, d.template_key, d.locale,
      case when ${keys} is null then d.variables
        else (select coalesce(jsonb_object_agg(k, d.variables -> k), '{}'::jsonb) from unnest(${keys}) k where d.variables ? k) end as variables,
      case when ${keys} is null then null else (d.variables - ${keys})::text end as shared_variables,
      d.subscription_id, d.ref_id, d.bulk, d.attempts, d.unknown_outcomes,
      extract(epoch from d.created_at)::float8 as created_epoch, ${kinds.skipSql()} as skip`,
  );
}

/**
 * Claims up to `limit` due deliveries for `workerId`: queued/retry rows whose time has come, and
 * `sending` rows whose lease ran out (their worker crashed). FOR UPDATE SKIP LOCKED lets several
 * workers claim side by side without waiting on or double-taking each other's rows. Each claim counts
 * as an attempt (given back when nothing reached a server) and holds the row for `leaseSeconds`
 * (renewed while it is worked: leases.ts). Transactional mail (priority 0) goes first.
 * Each kind's skip rule (unsubscribed/suppressed for bulk mail, a confirmation whose subscription
 * no longer waits for it, …) is evaluated in the same statement (`skip`), composed by the registry.
 */
export async function claimDeliveries(
  deps: { db: Db; clock: Clock },
  options: { workerId: string; limit: number; leaseSeconds: number; transactionalOnly?: boolean; kinds?: KindRegistry },
): Promise<ClaimedDelivery[]> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const lease = new Date(now.getTime() + options.leaseSeconds * 1000).toISOString();
  const kinds = options.kinds ?? deliveryKinds;
  const claimed = await claimStatement(kinds)(
    deps.db,
    options.workerId,
    lease,
    at,
    options.transactionalOnly ? 0 : 32767,
    options.limit,
  );
  return claimed.map((r) => ({
    id: r.id,
    kind: r.kind,
    recipient: r.recipient,
    recipientNormalized: r.recipient_normalized,
    templateKey: r.template_key,
    locale: r.locale,
    variables: r.variables,
    sharedVariables: r.shared_variables,
    subscriptionId: r.subscription_id,
    refId: r.ref_id === null ? null : Number(r.ref_id),
    bulk: r.bulk,
    attempts: r.attempts,
    unknownOutcomes: r.unknown_outcomes,
    createdAt: new Date(Number(r.created_epoch) * 1000),
    skip: r.skip,
  }));
}
