import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { sizeNextWave, type EarlierWave } from './size-next-wave.js';

/**
 * The size of a restock's next wave: NOTIFY_PER_UNIT as a number (0 = no limit), or `auto` — read
 * what the earlier waves of this restock sold (emails sent per wave; orders attributed to them) and
 * let `sizeNextWave` decide. A delivery belongs to the wave that was the newest of its restock when it
 * was queued (waves of one event never overlap: wave n+1 starts after wave n is fully queued).
 * @returns the most recipients (null = no limit) and, for `auto`, the one-line explanation.
 */
export async function nextWaveSize(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  e: { id: number; sku: string; quantity: number; lastWave: number | null },
): Promise<{ max: number | null; explanation: string | null }> {
  const { notifyPerUnit, auto } = deps.config.restock;
  if (notifyPerUnit !== 'auto')
    return { max: notifyPerUnit === 0 ? null : Math.ceil(e.quantity * notifyPerUnit), explanation: null };
  const earlier = await rows<{ waveNo: number; notified: number; purchases: string[] | null }>(
    deps.db,
    sql`
    with w as (
      select wave_no, created_at, lead(created_at) over (order by wave_no) as next_at
      from restock_waves where restock_event_id = ${e.id}
    ), d as (
      select d.id, d.status, w.wave_no from deliveries d
      join w on d.created_at >= w.created_at and (w.next_at is null or d.created_at < w.next_at)
      where d.kind = 'back-in-stock' and d.ref_id = ${e.id}
    )
    select w.wave_no as "waveNo",
      (select count(*) from d where d.wave_no = w.wave_no and d.status = 'sent')::int as notified,
      (select json_agg(x.placed_at) from (
        select distinct o.order_id, o.placed_at from d
        join order_lines l on l.attributed_delivery_id = d.id join orders o on o.order_id = l.order_id
        where d.wave_no = w.wave_no) x) as purchases
    from w order by w.wave_no`,
  );
  const [waiting] = await rows<{ n: number }>(
    deps.db,
    sql`
    select count(*)::int as n from subscriptions where sku = ${e.sku} and status = 'active'`,
  );
  const waves: EarlierWave[] = earlier.map((w) => ({
    waveNo: w.waveNo,
    notified: w.notified,
    purchases: (w.purchases ?? []).map((p) => ({ placedAt: new Date(p) })),
  }));
  const next = sizeNextWave({
    waveNo: (e.lastWave ?? 0) + 1,
    unitsLeft: e.quantity,
    waiting: waiting?.n ?? 0,
    earlier: waves,
    now: deps.clock.now(),
    sizing: auto,
  });
  return { max: next.size, explanation: next.explanation };
}
