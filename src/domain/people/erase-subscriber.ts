import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { rows } from '../../db/client.js';
import { withTx } from '../../db/transaction.js';
import { normalizeEmail } from '../../mail/address.js';
import { canonicalMailbox } from '../validation/email.js';
import { eraseBackorderLines } from './backorder-lines.js';

export type EraseResult = { subscriptions: number; deliveries: number; orderLines: number; suppressed: true };

/**
 * Erases one shopper's personal data (GDPR art. 17), in one transaction:
 * - subscriptions become anonymous tombstones (`email` '', `email_normalized` `erased:<id>`, name
 *   and token cleared; waiting ones `unsubscribed`), so demand and history counts stay right;
 * - deliveries lose recipient, variables, error text and SMTP reply (which can quote the address);
 *   queued/retrying ones are skipped;
 * - order lines on backorder (if that feature is installed) lose email and name; recorded shop orders
 *   lose their mailbox (their lines and attribution stay, so the results report stays right);
 * - the address is suppressed with reason `erased`, so nothing is ever sent to it again. The
 *   suppression keeps the address itself: a suppression list is the one record the law expects us to
 *   keep after an objection, and without it a re-import could mail the person again.
 */
export async function eraseSubscriber(ctx: Pick<Deps, 'db' | 'clock'>, input: { email: string }): Promise<EraseResult> {
  const { email } = input;
  const normalized = normalizeEmail(email);
  const now = ctx.clock.now().toISOString();
  return withTx(ctx.db, async (tx) => {
    const subs = await rows<{ id: number }>(
      tx,
      sql`update subscriptions set email = '', email_normalized = 'erased:' || id, name = null,
            status = case when status in ('pending', 'active') then 'unsubscribed'::subscription_status else status end,
            unsubscribed_at = case when status in ('pending', 'active') then ${now}::timestamptz else unsubscribed_at end
          where email_normalized = ${normalized} returning id`,
    );
    const ids = subs.map((s) => s.id);
    const idArray = `{${ids.join(',')}}`;
    // An old confirmation link must not bring a tombstone back to life.
    await rows(tx, sql`delete from confirmation_tokens where subscription_id in (select unnest(${idArray}::bigint[]))`);
    const dels = await rows<{ n: number }>(
      tx,
      sql`with u as (
            update deliveries set recipient = '', recipient_normalized = 'erased', variables = '{}'::jsonb,
              last_error = case when status in ('queued', 'retry') then 'erased' else null end, smtp_response = null,
              status = case when status in ('queued', 'retry') then 'skipped'::delivery_status else status end,
              updated_at = ${now}::timestamptz
            where recipient_normalized = ${normalized}
               or subscription_id in (select unnest(${idArray}::bigint[]))
            returning 1)
          select count(*)::int as n from u`,
    );
    const orderLines = await eraseBackorderLines({ db: tx }, { normalizedEmail: normalized });
    // Recorded shop orders (results) keep their lines and attribution for the counts, not the mailbox.
    await rows(tx, sql`update orders set mailbox = 'erased' where mailbox = ${canonicalMailbox(normalized)}`);
    await rows(
      tx,
      sql`insert into suppressions (email, reason, created_at) values (${normalized}, 'erased', ${now}::timestamptz)
          on conflict (email) do update set reason = 'erased'`,
    );
    return { subscriptions: ids.length, deliveries: dels[0]?.n ?? 0, orderLines, suppressed: true as const };
  });
}
