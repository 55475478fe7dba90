import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import type { WaveCtx } from './wave-ctx.js';
import { withTx } from '../../db/transaction.js';
import { etaRevised } from '../../ledger/kinds/index.js';
import { withUtm } from '../../mail/headers.js';
import { WAVE_PAGE_SIZE } from './plan-restock-waves.js';

type PendingEta = { id: number; sku: string; started: boolean };

type OpenFanout = {
  id: number;
  sku: string;
  oldEta: string | null;
  newEta: string;
  reason: string | null;
  name: string;
  url: string | null;
  lastSubscriptionId: number;
};

/**
 * Queues `eta-revised` to every active subscription of the SKU of each ETA event not yet handled
 * (no fairness limit: a date change concerns the whole waitlist). When several events of one SKU are
 * waiting, only the newest is announced; the older ones are recorded as superseded.
 * Paged by subscription id (one INSERT … SELECT per page and transaction, cursor in eta_fanouts), so a
 * 100k waitlist starts sending after the first page; an unfinished fan-out is continued.
 * Idempotent: the eta_fanouts row (primary key = event) is locked per page, delivery keys are
 * `eta:<event id>:<subscription id>`.
 * Side effects: eta_fanouts and deliveries rows.
 */
export async function planEtaNotifications(
  ctx: WaveCtx,
  input: { limit?: number; pageSize?: number } = {},
): Promise<{ events: number; queued: number }> {
  const limit = input.limit ?? 500;
  const pageSize = input.pageSize ?? WAVE_PAGE_SIZE;
  const pending = await rows<PendingEta>(
    ctx.db,
    sql`
    select e.id, e.sku, (f.eta_event_id is not null) as started
    from eta_events e left join eta_fanouts f on f.eta_event_id = e.id
    where f.eta_event_id is null or f.completed_at is null
    order by e.id limit ${limit}`,
  );
  const newest = new Map<string, number>();
  for (const e of pending) newest.set(e.sku, e.id);
  const at = ctx.clock.now().toISOString();
  let queued = 0;
  for (const e of pending) {
    if (!e.started) {
      const superseded = newest.get(e.sku) !== e.id;
      await rows(
        ctx.db,
        sql`insert into eta_fanouts (eta_event_id, queued, superseded, created_at, completed_at)
            values (${e.id}, 0, ${superseded}, ${at}::timestamptz, ${superseded ? at : null}::timestamptz)
            on conflict do nothing`,
      );
      if (superseded) continue;
    }
    queued += await continueFanout(ctx, e.id, pageSize);
  }
  return { events: pending.length, queued };
}

async function continueFanout(ctx: WaveCtx, eventId: number, pageSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const page = await withTx(ctx.db, async (tx) => {
      const [f] = await rows<OpenFanout>(
        tx,
        sql`select e.id, e.sku, e.old_eta::text as "oldEta", e.new_eta::text as "newEta", e.reason, p.name, p.url, f.last_subscription_id as "lastSubscriptionId"
            from eta_fanouts f join eta_events e on e.id = f.eta_event_id join products p on p.sku = e.sku
            where f.eta_event_id = ${eventId} and f.completed_at is null
            for update of f`,
      );
      if (!f) return { queued: 0, done: true };
      const at = ctx.clock.now().toISOString();
      const vars = {
        productName: f.name,
        productUrl: withUtm(f.url, 'eta-revised'),
        oldEta: f.oldEta,
        newEta: f.newEta,
        reason: f.reason,
      };
      const [r] = await rows<{ picked: number; lastId: number | null; queued: number }>(
        tx,
        sql`with picked as (
              select s.id as subscription_id, s.email, s.email_normalized, s.locale, s.name from subscriptions s
              where s.sku = ${f.sku} and s.status = 'active' and s.id > ${f.lastSubscriptionId}
              order by s.id limit ${pageSize}
            ), ins as (
              ${ctx.outbox.fanOut({ kind: etaRevised, from: sql`picked`, refId: f.id, variables: vars, at })}
            )
            select (select count(*) from picked)::int as picked, (select max(subscription_id) from picked) as "lastId",
              (select count(*) from ins)::int as queued`,
      );
      const picked = r?.picked ?? 0;
      const done = picked < pageSize;
      await rows(
        tx,
        sql`update eta_fanouts set queued = queued + ${r?.queued ?? 0},
              last_subscription_id = greatest(last_subscription_id, ${r?.lastId ?? 0}),
              completed_at = ${done ? at : null}::timestamptz
            where eta_event_id = ${f.id}`,
      );
      return { queued: r?.queued ?? 0, done };
    });
    total += page.queued;
    if (page.done) return total;
  }
}
