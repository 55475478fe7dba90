import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import type { WaveCtx } from './wave-ctx.js';
import { withTx } from '../../db/transaction.js';
import { backInStock } from '../../ledger/kinds/index.js';
import { withUtm } from '../../mail/headers.js';
import { nextWaveSize } from './observe-waves.js';

export type WavePlanSummary = { waves: number; queued: number };

/** Subscriptions queued per transaction: small enough that the first emails leave within ≈100 ms. */
export const WAVE_PAGE_SIZE = 2000;

/** Due restock events examined per planner run; the rest are due on the next tick. */
const DUE_EVENTS_PER_TICK = 1000;

type DueEvent = {
  id: number;
  sku: string;
  quantity: number;
  inStock: boolean;
  superseded: boolean;
  hasWaitlist: boolean;
  lastWave: number | null;
  lastWaveAt: string | Date | null;
  lastComplete: boolean;
};

type OpenWave = {
  id: number;
  restockEventId: number;
  waveNo: number;
  maxRecipients: number | null;
  queued: number;
  sku: string;
  quantity: number;
  detectedAt: string;
  name: string;
  url: string | null;
  imageUrl: string | null;
};

/**
 * Fair restock waves. A restock event is looked at when its `next_wave_at` has come (partial index:
 * the planner's cost follows the due events, not the history of restocks). If the SKU is still at or
 * above RESTOCK_MIN_QUANTITY and this is its newest restock event, the next wave starts: wave 1 at
 * once, wave n+1 WAVE_INTERVAL_MINUTES after wave n. A wave queues at most
 * ceil(quantity available when it starts × NOTIFY_PER_UNIT) active subscriptions (0 = all; `auto`:
 * sized from what the earlier waves sold, observe-waves.ts), oldest
 * confirmed first, and marks them `notified`. Below the threshold (sold out) or superseded by a newer
 * restock, the event gets no more waves (`next_wave_at` null): the rest wait for the next restock event.
 * With nobody on the waitlist the event is looked at again one interval later.
 * A wave is queued in pages of WAVE_PAGE_SIZE (one transaction each, one INSERT … SELECT per page), so
 * sending can start before a 100k wave is fully queued; unfinished waves (also a crashed planner's)
 * are continued first. Idempotent: the wave row is unique per (event, wave number), and each page runs
 * under a lock on it, re-reading how many it may still queue.
 * Side effects: restock_waves, restock_events.next_wave_at, deliveries and subscriptions rows.
 */
export async function planRestockWaves(ctx: WaveCtx, input: { pageSize?: number } = {}): Promise<WavePlanSummary> {
  const deps = ctx;
  const pageSize = input.pageSize ?? WAVE_PAGE_SIZE;
  const summary: WavePlanSummary = { waves: 0, queued: 0 };
  for (const w of await openWaves(deps)) summary.queued += await continueWave(deps, w.id, pageSize);
  const { restock } = deps.config;
  const now = deps.clock.now();
  const intervalMs = restock.waveIntervalMinutes * 60_000;
  const due = await rows<DueEvent>(
    deps.db,
    sql`
    select e.id, e.sku,
      -- Units held by allocated order lines are sold: the waitlist shares only the rest.
      greatest(0, p.quantity - coalesce((select sum(b.quantity) from backorders b where b.sku = e.sku and b.status = 'allocated'), 0))::int as quantity,
      p.quantity >= ${restock.minQuantity} as "inStock",
      exists (select 1 from restock_events n where n.sku = e.sku and n.id > e.id) as superseded,
      exists (select 1 from subscriptions s where s.sku = e.sku and s.status = 'active') as "hasWaitlist",
      w.wave_no as "lastWave", w.created_at as "lastWaveAt", w.completed_at is not null as "lastComplete"
    from restock_events e
    join products p on p.sku = e.sku
    left join lateral (
      select wave_no, created_at, completed_at from restock_waves where restock_event_id = e.id order by wave_no desc limit 1
    ) w on true
    where e.next_wave_at is not null and e.next_wave_at <= ${now.toISOString()}::timestamptz
    order by e.next_wave_at, e.id
    limit ${DUE_EVENTS_PER_TICK}`,
  );
  const reschedule = (id: number, at: Date | null) =>
    rows(
      deps.db,
      sql`update restock_events set next_wave_at = ${at ? at.toISOString() : null}::timestamptz where id = ${id}`,
    );
  for (const e of due) {
    if (e.superseded || !e.inStock) {
      await reschedule(e.id, null);
      continue;
    }
    if (e.lastWave !== null) {
      if (!e.lastComplete) continue; // still being queued: continued by openWaves above
      const next = new Date(new Date(e.lastWaveAt as string | Date).getTime() + intervalMs);
      if (next > now) {
        // A planner stopped between starting the wave and rescheduling the event.
        await reschedule(e.id, next);
        continue;
      }
    }
    if (!e.hasWaitlist) {
      await reschedule(e.id, new Date(now.getTime() + intervalMs));
      continue;
    }
    const { max, explanation } = await nextWaveSize(deps, e);
    const created = await rows<{ id: number }>(
      deps.db,
      sql`
      insert into restock_waves (restock_event_id, wave_no, quantity, max_recipients, explanation, created_at)
      values (${e.id}, ${(e.lastWave ?? 0) + 1}, ${e.quantity}, ${max}, ${explanation}, ${now.toISOString()}::timestamptz)
      on conflict (restock_event_id, wave_no) do nothing
      returning id`,
    );
    if (!created[0]) continue; // another planner started it; it (or our next tick) continues it
    await reschedule(e.id, new Date(now.getTime() + intervalMs));
    summary.waves += 1;
    summary.queued += await continueWave(deps, created[0].id, pageSize);
  }
  return summary;
}

async function openWaves(deps: WaveCtx): Promise<{ id: number }[]> {
  return rows<{ id: number }>(deps.db, sql`select id from restock_waves where completed_at is null order by id`);
}

/** Queues the rest of one wave, page by page. @returns how many subscriptions this call queued. */
async function continueWave(deps: WaveCtx, waveId: number, pageSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const page = await withTx(deps.db, async (tx) => {
      // The row lock serializes planners on one wave; each page then sees the others' commits.
      const [w] = await rows<OpenWave>(
        tx,
        sql`select w.id, w.restock_event_id as "restockEventId", w.wave_no as "waveNo", w.max_recipients as "maxRecipients", w.queued, e.sku, w.quantity,
              e.detected_at::text as "detectedAt", p.name, p.url, p.image_url as "imageUrl"
            from restock_waves w join restock_events e on e.id = w.restock_event_id join products p on p.sku = e.sku
            where w.id = ${waveId} and w.completed_at is null
            for update of w`,
      );
      if (!w) return { queued: 0, done: true };
      const room = w.maxRecipients === null ? pageSize : Math.min(pageSize, w.maxRecipients - w.queued);
      const queued = room > 0 ? await queuePage(deps, tx, w, room) : 0;
      const done = queued < room || (w.maxRecipients !== null && w.queued + queued >= w.maxRecipients);
      const at = deps.clock.now().toISOString();
      await rows(
        tx,
        sql`update restock_waves set queued = queued + ${queued}, completed_at = ${done ? at : null}::timestamptz where id = ${w.id}`,
      );
      if (done)
        deps.log.info(
          {
            restockEventId: w.restockEventId,
            sku: w.sku,
            wave: w.waveNo,
            quantity: w.quantity,
            max: w.maxRecipients,
            queued: w.queued + queued,
          },
          'restock wave queued',
        );
      return { queued, done };
    });
    total += page.queued;
    if (page.done) return total;
  }
}

/** One INSERT … SELECT: the `limit` oldest active subscriptions get a delivery and become `notified`. */
async function queuePage(deps: WaveCtx, tx: Deps['db'], w: OpenWave, limit: number): Promise<number> {
  const at = deps.clock.now().toISOString();
  const vars = {
    productName: w.name,
    productUrl: withUtm(w.url, 'back-in-stock'),
    imageUrl: w.imageUrl,
    quantity: w.quantity,
    // SHOW_WAITLIST_COUNT (opt-in scarcity, real numbers only): the email may say how many came back.
    showQuantity: deps.config.showWaitlistCount && w.quantity > 0,
    restockedAt: new Date(w.detectedAt).toISOString(),
  };
  const queued = await rows<{ queued: number }>(
    tx,
    sql`with picked as (
          select s.id as subscription_id, s.email, s.email_normalized, s.locale, s.name
          from subscriptions s
          where s.sku = ${w.sku} and s.status = 'active'
          order by coalesce(s.confirmed_at, s.created_at), s.id
          limit ${limit}
          for update of s
        ), ins as (
          ${deps.outbox.fanOut({ kind: backInStock, from: sql`picked`, refId: w.restockEventId, variables: vars, at })}
        ), upd as (
          update subscriptions s set status = 'notified', notified_at = ${at}::timestamptz
          from picked p where s.id = p.subscription_id
          returning s.id
        )
        select (select count(*) from upd)::int as queued`,
  );
  return queued[0]?.queued ?? 0;
}
