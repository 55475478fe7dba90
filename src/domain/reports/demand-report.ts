import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { rows } from '../../db/client.js';
import { lastKnownPrices, valueWaiting, type Money } from '../demand/last-prices.js';

export const DemandSort = z.enum([
  'active',
  'pending',
  'notified',
  'new7d',
  'oldestWaiting',
  'sku',
  'name',
  'quantity',
  'eta',
]);
export const DemandQuery = z.object({
  q: z.string().trim().max(200).optional(),
  sort: DemandSort.default('active'),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type DemandQuery = z.input<typeof DemandQuery>;

export type DemandRow = {
  sku: string;
  name: string;
  /** Confirmed and waiting. */
  active: number;
  /** Signed up, not yet confirmed (double opt-in). */
  pending: number;
  notified: number;
  unsubscribed: number;
  /** Signups in the last 7 days (any status). */
  new7d: number;
  /** Signup time of the longest-waiting active subscriber. */
  oldestWaiting: string | null;
  quantity: number;
  eta: string | null;
  backorderable: boolean;
  /** Lost demand: waiting (active) × the last known unit price; null while the SKU has no recorded order. */
  valueWaiting: Money | null;
};

// Whitelisted ORDER BY expressions: the sort key never reaches SQL as text from the request.
const orderBy: Record<z.infer<typeof DemandSort>, string> = {
  active: 'active',
  pending: 'pending',
  notified: 'notified',
  new7d: 'new7d',
  oldestWaiting: 'oldest_waiting',
  sku: 's.sku',
  name: 'p.name',
  quantity: 'p.quantity',
  eta: 'p.eta',
};
const defaultOrder = (sort: string) => (['sku', 'name', 'oldestWaiting', 'eta'].includes(sort) ? 'asc' : 'desc');

/** Sums over every matching SKU (not just one page): what the Demand tiles show. */
export type DemandTotals = { skus: number; active: number; pending: number; notified: number; new7d: number };

type Raw = {
  sku: string;
  name: string;
  active: number;
  pending: number;
  notified: number;
  unsubscribed: number;
  new7d: number;
  oldest_waiting: Date | string | null;
  quantity: number;
  eta: string | null;
  backorderable: boolean;
  total: number;
  t_active: number;
  t_pending: number;
  t_notified: number;
  t_new7d: number;
};

/**
 * The waitlist per SKU (every SKU with at least one subscription, erased tombstones included so
 * counts stay right), searchable by SKU or name, sorted by any column, with the value waiting
 * (active × the last known price) where a price is known. `totals` sums the same columns over every
 * matching SKU, so tiles built from it equal the sums of the table's columns ("waiting" = confirmed
 * and active; pending confirmation apart).
 */
export async function demandReport(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: DemandQuery,
): Promise<{ total: number; totals: DemandTotals; rows: DemandRow[] }> {
  const query = DemandQuery.parse(input);
  const since = new Date(deps.clock.now().getTime() - 7 * 86_400_000).toISOString();
  const pattern = query.q ? `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null;
  const order = query.order ?? defaultOrder(query.sort);
  const found = await rows<Raw>(
    deps.db,
    sql`select s.sku, p.name, p.quantity, p.eta::text as eta, p.backorderable,
          count(*) filter (where s.status = 'active')::int as active,
          count(*) filter (where s.status = 'pending')::int as pending,
          count(*) filter (where s.status = 'notified')::int as notified,
          count(*) filter (where s.status = 'unsubscribed')::int as unsubscribed,
          count(*) filter (where s.created_at >= ${since}::timestamptz)::int as new7d,
          min(s.created_at) filter (where s.status = 'active') as oldest_waiting,
          count(*) over ()::int as total,
          (sum(count(*) filter (where s.status = 'active')) over ())::int as t_active,
          (sum(count(*) filter (where s.status = 'pending')) over ())::int as t_pending,
          (sum(count(*) filter (where s.status = 'notified')) over ())::int as t_notified,
          (sum(count(*) filter (where s.created_at >= ${since}::timestamptz)) over ())::int as t_new7d
        from subscriptions s join products p on p.sku = s.sku
        where ${pattern}::text is null or s.sku ilike ${pattern} or p.name ilike ${pattern}
        group by s.sku, p.name, p.quantity, p.eta, p.backorderable
        order by ${sql.raw(orderBy[query.sort])} ${sql.raw(order === 'asc' ? 'asc' : 'desc')} nulls last, s.sku
        limit ${query.limit} offset ${query.offset}`,
  );
  const prices = await lastKnownPrices(deps, { skus: found.map((r) => r.sku) });
  const first = found[0];
  const totals: DemandTotals = first
    ? {
        skus: first.total,
        active: first.t_active,
        pending: first.t_pending,
        notified: first.t_notified,
        new7d: first.t_new7d,
      }
    : await totalsPastTheEnd(deps, pattern, since);
  return {
    total: totals.skus,
    totals,
    rows: found.map((r) => ({
      sku: r.sku,
      name: r.name,
      active: r.active,
      pending: r.pending,
      notified: r.notified,
      unsubscribed: r.unsubscribed,
      new7d: r.new7d,
      oldestWaiting: r.oldest_waiting === null ? null : new Date(r.oldest_waiting).toISOString(),
      quantity: r.quantity,
      eta: r.eta,
      backorderable: r.backorderable,
      valueWaiting: valueWaiting(r.active, prices.get(r.sku)),
    })),
  };
}

/** Totals when the page is past the last row (an offset beyond the end): the same sums, no rows. */
async function totalsPastTheEnd(deps: Pick<Deps, 'db'>, pattern: string | null, since: string): Promise<DemandTotals> {
  const [t] = await rows<DemandTotals>(
    deps.db,
    sql`select count(distinct s.sku)::int as skus,
          count(*) filter (where s.status = 'active')::int as active,
          count(*) filter (where s.status = 'pending')::int as pending,
          count(*) filter (where s.status = 'notified')::int as notified,
          count(*) filter (where s.created_at >= ${since}::timestamptz)::int as new7d
        from subscriptions s join products p on p.sku = s.sku
        where ${pattern}::text is null or s.sku ilike ${pattern} or p.name ilike ${pattern}`,
  );
  return t ?? { skus: 0, active: 0, pending: 0, notified: 0, new7d: 0 };
}
