import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';

export type ClaimedDelivery = {
  id: number;
  recipient: string;
  recipient_normalized: string;
  template_key: string;
  locale: string | null;
  variables: Record<string, unknown>;
  subscription_id: number | null;
  bulk: boolean;
  attempts: number;
  unknown_outcomes: number;
  /**
   * Bulk mail whose recipient unsubscribed or is suppressed since it was queued, or a confirmation
   * email whose link is dead (a re-signup issued a newer token, the signup was confirmed or purged).
   */
  skip: boolean;
};

/**
 * Claims up to `limit` due deliveries for `workerId`: queued/retry rows whose time has come, and
 * `sending` rows whose lease ran out (their worker crashed). FOR UPDATE SKIP LOCKED lets several
 * workers claim side by side without waiting on or double-taking each other's rows. Each claim counts
 * as an attempt and holds the row for `leaseSeconds`. Transactional mail (priority 0) goes first.
 * Unsubscription and suppression are re-checked in the same statement (`skip`), and so is whether a
 * confirmation email still carries the subscription's current token (its dedupe key ends with the
 * token hash prefix): a retried old confirmation must not arrive with a link that no longer works.
 */
export async function claimDeliveries(
  deps: Deps,
  options: { workerId: string; limit: number; leaseSeconds: number; transactionalOnly?: boolean },
): Promise<ClaimedDelivery[]> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const lease = new Date(now.getTime() + options.leaseSeconds * 1000).toISOString();
  return deps.database.rows<ClaimedDelivery>(sql`
    update deliveries d
    set status = 'sending', attempts = d.attempts + 1, claimed_by = ${options.workerId},
        claimed_until = ${lease}::timestamptz, next_attempt_at = ${lease}::timestamptz, updated_at = ${at}::timestamptz
    from (
      select id from deliveries
      where status in ('queued', 'retry', 'sending') and next_attempt_at <= ${at}::timestamptz
        and priority <= ${options.transactionalOnly ? 0 : 32767}
      order by priority, next_attempt_at, id
      limit ${options.limit}
      for update skip locked
    ) due
    where d.id = due.id
    returning d.id, d.recipient, d.recipient_normalized, d.template_key, d.locale, d.variables, d.subscription_id, d.bulk, d.attempts,
      d.unknown_outcomes,
      (d.bulk and (
        exists (select 1 from subscriptions s where s.id = d.subscription_id and s.status = 'unsubscribed')
        or exists (select 1 from suppressions x where x.email = d.recipient_normalized)
      )) or (d.template_key = 'confirm' and not exists (
        select 1 from subscriptions s
        where s.id = d.subscription_id and s.status = 'pending'
          and left(s.confirm_token_hash, 16) = split_part(d.dedupe_key, ':', 3)
      )) as skip`);
}
