import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { withTx } from '../../db/transaction.js';
import type { Outbox } from '../../ledger/outbox.js';
import { stillInterested } from '../../ledger/kinds/index.js';
import { withUtm } from '../../mail/headers.js';
import { keepUrl } from './keep-token.js';

const DAY_MS = 86_400_000;

type Candidate = {
  id: number;
  email: string;
  email_normalized: string;
  locale: string | null;
  name: string | null;
  since: string | Date;
  product_name: string;
  url: string | null;
};

/**
 * Queues one `still-interested` email to every active subscription whose waiting period (since the
 * last "keep me", else since confirmation, else since signup) is longer than REPERMISSION_AFTER_DAYS,
 * and marks it asked (`repermission_asked_at`). Batched: one transaction per `batchSize` rows, claimed
 * with FOR UPDATE SKIP LOCKED through the partial index on the waiting period, so instances can run it
 * at once. Idempotent: an asked row is not a candidate, and the delivery key includes the period start.
 * @returns how many were asked, in how many batches. No-op when REPERMISSION_AFTER_DAYS is 0.
 */
export async function askStaleSubscribers(
  ctx: Pick<Deps, 'config' | 'db' | 'clock'> & { outbox: Pick<Outbox, 'fanOut'> },
  input: { batchSize?: number } = {},
): Promise<{ asked: number; batches: number }> {
  const { afterDays, graceDays } = ctx.config.repermission;
  if (afterDays <= 0) return { asked: 0, batches: 0 };
  const limit = input.batchSize ?? 500;
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - afterDays * DAY_MS).toISOString();
  let asked = 0;
  let batches = 0;
  for (;;) {
    const n = await withTx(ctx.db, async (tx) => {
      const due = await rows<Candidate>(
        tx,
        sql`
        select s.id, s.email, s.email_normalized, s.locale, s.name, coalesce(s.consent_renewed_at, s.confirmed_at, s.created_at) as since,
               p.name as product_name, p.url
          from subscriptions s join products p on p.sku = s.sku
         where s.status = 'active' and s.repermission_asked_at is null
           and coalesce(s.consent_renewed_at, s.confirmed_at, s.created_at) < ${cutoff}::timestamptz
         order by coalesce(s.consent_renewed_at, s.confirmed_at, s.created_at)
         limit ${limit}
           for update of s skip locked`,
      );
      if (due.length === 0) return 0;
      // Per-row variables (the signed keep link) are computed here: HMAC needs the secret, not SQL.
      const payload = due.map((d) => ({
        subscription_id: d.id,
        email: d.email,
        email_normalized: d.email_normalized,
        locale: d.locale,
        name: d.name,
        nonce: String(new Date(d.since).getTime()),
        variables: {
          name: d.name,
          productName: d.product_name,
          productUrl: withUtm(d.url, 'still-interested'),
          keepUrl: keepUrl(ctx.config.publicBaseUrl, ctx.config.appSecret, d.id),
          waitingSince: new Date(d.since).toISOString().slice(0, 10),
          graceDays,
        },
      }));
      const from = sql`(select * from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(
          subscription_id bigint, email text, email_normalized text, locale text, name text, nonce text, variables jsonb))`;
      await rows(
        tx,
        sql`with q as (${ctx.outbox.fanOut({ kind: stillInterested, from, rowVariables: sql`p.variables`, nonce: sql`p.nonce`, at: now.toISOString() })})
        update subscriptions set repermission_asked_at = ${now.toISOString()}::timestamptz
         where id = any(${`{${due.map((d) => d.id).join(',')}}`}::bigint[])`,
      );
      return due.length;
    });
    asked += n;
    if (n > 0) batches += 1;
    if (n < limit) break;
  }
  return { asked, batches };
}
