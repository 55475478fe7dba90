import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { withTx } from '../../db/transaction.js';
import { withUtm } from '../../mail/headers.js';

type PendingEta = {
  id: number;
  sku: string;
  old_eta: string | null;
  new_eta: string;
  reason: string | null;
  name: string;
  url: string | null;
};

/**
 * Queues `eta-revised` to every active subscription of the SKU of each ETA event not yet handled
 * (no fairness limit: a date change concerns the whole waitlist). When several events of one SKU are
 * pending, only the newest is announced; the older ones are recorded as superseded.
 * Idempotent: the eta_fanouts row (primary key = event) gates the statement that queues deliveries,
 * and delivery keys are `eta:<event id>:<subscription id>`.
 * Side effects: eta_fanouts and deliveries rows.
 */
export async function planEtaNotifications(deps: Deps, limit = 500): Promise<{ events: number; queued: number }> {
  const pending = await deps.database.rows<PendingEta>(sql`
    select e.id, e.sku, e.old_eta::text as old_eta, e.new_eta::text as new_eta, e.reason, p.name, p.url
    from eta_events e join products p on p.sku = e.sku
    where not exists (select 1 from eta_fanouts f where f.eta_event_id = e.id)
    order by e.id limit ${limit}`);
  const newest = new Map<string, PendingEta>();
  for (const e of pending) newest.set(e.sku, e);
  const at = deps.clock.now().toISOString();
  let queued = 0;
  for (const e of pending) {
    if (newest.get(e.sku) !== e) {
      await deps.database.rows(
        sql`insert into eta_fanouts (eta_event_id, queued, superseded, created_at) values (${e.id}, 0, true, ${at}::timestamptz)
            on conflict do nothing`,
      );
      continue;
    }
    const vars = {
      productName: e.name,
      productUrl: withUtm(e.url, 'eta-revised'),
      oldEta: e.old_eta,
      newEta: e.new_eta,
      reason: e.reason,
      footerNote: 'You get this email because you are on the waitlist for this product.',
    };
    queued += await withTx(deps.db, async (tx) => {
      const rows = await deps.database.rows<{ created: number; queued: number }>(
        sql`with f as (
              insert into eta_fanouts (eta_event_id, queued, superseded, created_at) values (${e.id}, 0, false, ${at}::timestamptz)
              on conflict do nothing returning eta_event_id
            ), ins as (
              insert into deliveries (dedupe_key, recipient, recipient_normalized, template_key, locale, variables,
                subscription_id, event_id, bulk, priority, status, next_attempt_at, created_at, updated_at)
              select 'eta:' || ${String(e.id)}::text || ':' || s.id, s.email, s.email_normalized, 'eta-revised', s.locale,
                ${JSON.stringify(vars)}::jsonb || jsonb_build_object('name', s.name), s.id, ${e.id}, true, 1, 'queued',
                ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
              from subscriptions s
              where s.sku = ${e.sku} and s.status = 'active' and exists (select 1 from f)
              on conflict (dedupe_key) do nothing
              returning 1
            )
            select (select count(*) from f)::int as created, (select count(*) from ins)::int as queued`,
        tx,
      );
      const n = rows[0]?.queued ?? 0;
      if (!rows[0]?.created) return 0;
      await deps.database.rows(sql`update eta_fanouts set queued = ${n} where eta_event_id = ${e.id}`, tx);
      return n;
    });
  }
  return { events: pending.length, queued };
}
