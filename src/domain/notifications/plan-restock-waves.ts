import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { withTx } from '../../db/transaction.js';
import { withUtm } from '../../mail/headers.js';

export type WavePlanSummary = { waves: number; queued: number };

type DueEvent = {
  id: number;
  sku: string;
  detected_at: string;
  quantity: number;
  name: string;
  url: string | null;
  image_url: string | null;
  last_wave: number | null;
};

/**
 * Fair restock waves. For the newest restock event of every SKU that is still at or above
 * RESTOCK_MIN_QUANTITY and has active subscriptions, queues the next wave when it is due: wave 1 at
 * once, wave n+1 WAVE_INTERVAL_MINUTES after wave n. A wave queues at most
 * ceil(quantity available now × NOTIFY_PER_UNIT) subscriptions (0 = all), oldest confirmed first, and
 * marks them `notified`. A SKU below the threshold gets no wave (sold out: the rest wait for the next
 * restock event, which supersedes this one).
 * Idempotent: the wave row (unique on event + wave number) is inserted by the same statement that
 * queues its deliveries, so a replay or a concurrent planner queues nothing.
 * Side effects: restock_waves, deliveries and subscriptions rows.
 */
export async function planRestockWaves(deps: Deps): Promise<WavePlanSummary> {
  const { restock } = deps.config;
  const now = deps.clock.now();
  const dueBefore = new Date(now.getTime() - restock.waveIntervalMinutes * 60_000).toISOString();
  const events = await deps.database.rows<DueEvent>(sql`
    select e.id, e.sku, e.detected_at::text as detected_at, p.quantity, p.name, p.url, p.image_url, w.wave_no as last_wave
    from (select distinct on (sku) id, sku, detected_at from restock_events order by sku, id desc) e
    join products p on p.sku = e.sku and p.quantity >= ${restock.minQuantity}
    left join lateral (
      select wave_no, created_at from restock_waves where restock_event_id = e.id order by wave_no desc limit 1
    ) w on true
    where (w.wave_no is null or w.created_at <= ${dueBefore}::timestamptz)
      and exists (select 1 from subscriptions s where s.sku = e.sku and s.status = 'active')
    order by e.id`);
  const summary: WavePlanSummary = { waves: 0, queued: 0 };
  for (const e of events) {
    const queued = await queueWave(deps, e, now);
    if (queued !== undefined) {
      summary.waves += 1;
      summary.queued += queued;
    }
  }
  return summary;
}

/** @returns how many subscriptions the wave queued, or undefined when another planner made it. */
async function queueWave(deps: Deps, e: DueEvent, now: Date): Promise<number | undefined> {
  const perUnit = deps.config.restock.notifyPerUnit;
  const max = perUnit === 0 ? null : Math.ceil(e.quantity * perUnit);
  const waveNo = (e.last_wave ?? 0) + 1;
  const at = now.toISOString();
  const vars = {
    productName: e.name,
    productUrl: withUtm(e.url, 'back-in-stock'),
    imageUrl: e.image_url,
    quantity: e.quantity,
    restockedAt: new Date(e.detected_at).toISOString(),
    footerNote: 'You get this email because you asked to be notified when this product is back in stock.',
  };
  return withTx(deps.db, async (tx) => {
    // One statement: the wave row gates the rest (no row inserted → nothing picked), subscribers are
    // selected and queued server-side without a round trip per row.
    const rows = await deps.database.rows<{ created: number; queued: number }>(
      sql`with w as (
            insert into restock_waves (restock_event_id, wave_no, quantity, max_recipients, created_at)
            values (${e.id}, ${waveNo}, ${e.quantity}, ${max}, ${at}::timestamptz)
            on conflict (restock_event_id, wave_no) do nothing
            returning id
          ), picked as (
            select s.id, s.email, s.email_normalized, s.locale, s.name
            from subscriptions s
            where s.sku = ${e.sku} and s.status = 'active' and exists (select 1 from w)
            order by coalesce(s.confirmed_at, s.created_at), s.id
            limit ${max}
          ), ins as (
            insert into deliveries (dedupe_key, recipient, recipient_normalized, template_key, locale, variables,
              subscription_id, event_id, bulk, priority, status, next_attempt_at, created_at, updated_at)
            select 'restock:' || ${String(e.id)}::text || ':' || p.id, p.email, p.email_normalized, 'back-in-stock', p.locale,
              ${JSON.stringify(vars)}::jsonb || jsonb_build_object('name', p.name), p.id, ${e.id}, true, 1, 'queued',
              ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
            from picked p
            on conflict (dedupe_key) do nothing
            returning subscription_id
          ), upd as (
            -- status = 'active' again: an unsubscribe that committed meanwhile wins (the sender skips its row).
            update subscriptions s set status = 'notified', notified_at = ${at}::timestamptz
            from picked p where s.id = p.id and s.status = 'active'
            returning s.id
          )
          select (select count(*) from w)::int as created, (select count(*) from ins)::int as queued`,
      tx,
    );
    const r = rows[0];
    if (!r || r.created === 0) return undefined;
    await deps.database.rows(
      sql`update restock_waves set queued = ${r.queued} where restock_event_id = ${e.id} and wave_no = ${waveNo}`,
      tx,
    );
    deps.log.info({ restockEventId: e.id, sku: e.sku, wave: waveNo, quantity: e.quantity, max, queued: r.queued }, 'restock wave queued');
    return r.queued;
  });
}
