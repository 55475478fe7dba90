import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { rows } from '../../db/client.js';

export type DailySignups = { sku: string; days: { date: string; signups: number }[] };

/**
 * Signups per UTC day for one SKU over the last `days` days (today included), zero-filled, oldest
 * first — the data of the console's small chart.
 */
export async function dailySignups(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { sku: string; days: number },
): Promise<DailySignups> {
  const { sku, days } = input;
  const today = new Date(deps.clock.now().toISOString().slice(0, 10) + 'T00:00:00Z');
  const from = new Date(today.getTime() - (days - 1) * 86_400_000);
  const found = await rows<{ day: string; signups: number }>(
    deps.db,
    sql`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as signups
        from subscriptions where sku = ${sku} and created_at >= ${from.toISOString()}::timestamptz
        group by 1`,
  );
  const byDay = new Map(found.map((r) => [r.day, r.signups]));
  const out: DailySignups['days'] = [];
  for (let i = 0; i < days; i++) {
    const date = new Date(from.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    out.push({ date, signups: byDay.get(date) ?? 0 });
  }
  return { sku, days: out };
}
