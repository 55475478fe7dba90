import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { formatMinor } from '../orders/money.js';

/** An exact amount: decimal text and the same in minor units (text, as bigint sums can exceed 2^53). */
export type Money = { currency: string; amount: string; minor: string };
export type LastPrice = { currency: string; minor: string };

/**
 * The last known unit price per SKU: the line of the most recently placed recorded order (API or
 * platform webhook). SKUs never ordered have none.
 */
export async function lastKnownPrices(ctx: { db: Db }, input: { skus: string[] }): Promise<Map<string, LastPrice>> {
  const { skus } = input;
  if (skus.length === 0) return new Map();
  const found = await rows<{ sku: string; currency: string; minor: string | number }>(
    ctx.db,
    sql`
    select distinct on (l.sku) l.sku, o.currency, l.unit_price_minor::text as minor
    from order_lines l join orders o on o.order_id = l.order_id
    where l.sku in (${sql.join(
      skus.map((s) => sql`${s}`),
      sql`, `,
    )})
    order by l.sku, o.placed_at desc, l.id desc`,
  );
  return new Map(found.map((r) => [r.sku, { currency: r.currency, minor: String(r.minor) }]));
}

/** Lost demand: units waiting × the last known price, exact (bigint minor units); null without a price. */
export function valueWaiting(units: number, price: LastPrice | undefined): Money | null {
  if (!price) return null;
  const minor = BigInt(units) * BigInt(price.minor);
  return { currency: price.currency, amount: formatMinor(minor, price.currency), minor: minor.toString() };
}

/** Per-currency totals of values (currencies never added together), sorted by currency. */
export function totalByCurrency(values: (Money | null)[]): Money[] {
  const sums = new Map<string, bigint>();
  for (const v of values) if (v) sums.set(v.currency, (sums.get(v.currency) ?? 0n) + BigInt(v.minor));
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, minor]) => ({ currency, amount: formatMinor(minor, currency), minor: minor.toString() }));
}
