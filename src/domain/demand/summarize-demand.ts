import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { lastKnownPrices, totalByCurrency, valueWaiting, type Money } from './last-prices.js';

type SkuDemand = {
  sku: string;
  name: string;
  /** Active subscriptions waiting now. */
  waiting: number;
  /** Signups still waiting for their confirmation click. */
  pending: number;
  /** Signups in the window (pending or active now). */
  joined: number;
  /** Unsubscribed in the window (also through "still interested?" silence). */
  left: number;
  /** Notified in the window (a restock wave reached them). */
  notified: number;
  /** joined − left − notified: how the waitlist moved in the window. */
  growth: number;
  /** Lost demand: waiting × the last known unit price (exact), null without a recorded order of the SKU. */
  valueWaiting: Money | null;
};

export type DemandSummary = {
  windowStart: string;
  windowEnd: string;
  totals: Omit<SkuDemand, 'sku' | 'name' | 'valueWaiting'> & { valueWaiting: Money[] };
  skus: SkuDemand[];
};

type Row = {
  sku: string;
  name: string;
  waiting: number;
  pending: number;
  joined: number;
  left: number;
  notified: number;
};

/**
 * Read-only: waitlist size and growth per SKU over the `hours` before now (default 24) — the daily
 * demand summary purchasing acts on (issue 12 point 10). SKUs without anyone waiting and without
 * movement in the window are left out. Largest waitlist first.
 */
export async function summarizeDemand(
  deps: Pick<Deps, 'db' | 'clock'>,
  options: { hours?: number } = {},
): Promise<DemandSummary> {
  const end = deps.clock.now();
  const start = new Date(end.getTime() - (options.hours ?? 24) * 3_600_000);
  const since = start.toISOString();
  const until = end.toISOString();
  const found = await rows<Row>(
    deps.db,
    sql`
    select s.sku, p.name,
           (count(*) filter (where s.status = 'active'))::int as waiting,
           (count(*) filter (where s.status = 'pending'))::int as pending,
           (count(*) filter (where s.status in ('active', 'pending') and s.created_at >= ${since}::timestamptz and s.created_at < ${until}::timestamptz))::int as joined,
           (count(*) filter (where s.unsubscribed_at >= ${since}::timestamptz and s.unsubscribed_at < ${until}::timestamptz))::int as "left",
           (count(*) filter (where s.notified_at >= ${since}::timestamptz and s.notified_at < ${until}::timestamptz))::int as notified
      from subscriptions s join products p on p.sku = s.sku
     where s.status in ('active', 'pending') or s.unsubscribed_at >= ${since}::timestamptz or s.notified_at >= ${since}::timestamptz
     group by s.sku, p.name
     order by 3 desc, s.sku`,
  );
  const moving = found.filter((r) => r.waiting + r.pending + r.joined + r.left + r.notified > 0);
  const prices = await lastKnownPrices(deps, { skus: moving.map((r) => r.sku) });
  const skus = moving.map((r) => ({
    ...r,
    growth: r.joined - r.left - r.notified,
    valueWaiting: valueWaiting(r.waiting, prices.get(r.sku)),
  }));
  const counts = { waiting: 0, pending: 0, joined: 0, left: 0, notified: 0, growth: 0 };
  for (const s of skus) for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += s[k];
  return {
    windowStart: since,
    windowEnd: until,
    totals: { ...counts, valueWaiting: totalByCurrency(skus.map((s) => s.valueWaiting)) },
    skus,
  };
}

/**
 * The outbound webhook body (SPEC: `{"id","type","createdAt","data"}`) of one day's summary. The id is
 * the day, so a re-run of the same day's job dedupes to one delivery on the ledger.
 */
export function demandWebhookBody(summary: DemandSummary): {
  id: string;
  type: 'demand.daily_summary';
  createdAt: string;
  data: DemandSummary & { date: string };
} {
  const date = summary.windowEnd.slice(0, 10);
  return {
    id: `demand-${date}`,
    type: 'demand.daily_summary',
    createdAt: summary.windowEnd,
    data: { date, ...summary },
  };
}
