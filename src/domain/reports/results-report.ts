import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { formatMinor } from '../orders/money.js';
import { CalendarDate, Sku } from '../validation/text.js';

export const ResultsQuery = z.object({
  from: CalendarDate.optional(),
  to: CalendarDate.optional(),
  sku: Sku.optional(),
});
export type ResultsQuery = z.input<typeof ResultsQuery>;

export type Revenue = { currency: string; amount: string; minor: string };
export type Outcome = {
  notified: number;
  clicked: number;
  orders: number;
  units: number;
  revenue: Revenue[];
  conversionRate: number | null;
};
type SkuResult = Outcome & { sku: string; name: string };
type WaveResult = Outcome & {
  restockEventId: number;
  sku: string;
  name: string;
  waveNo: number;
  startedAt: string;
  maxRecipients: number | null;
  explanation: string | null;
};
type TemplateResult = Outcome & { templateKey: string; locale: string; version: number | null };
type DayResult = { date: string; notified: number; clicked: number; orders: number; units: number; revenue: Revenue[] };
export type ResultsReport = {
  from: string;
  to: string;
  sku: string | null;
  totals: Outcome;
  skus: SkuResult[];
  waves: WaveResult[];
  templates: TemplateResult[];
  days: DayResult[];
};

/**
 * The notifications of the window: back-in-stock and eta-revised emails *sent* between `from` and
 * `to` (UTC days, both included), with their SKU, wave (the newest wave of the restock when the row
 * was queued) and template version (the template `pickTemplate` would pick for the recipient's
 * locale — exact, language, en, default — in the highest version published when it was sent).
 */
function notifications(from: string, to: string, sku: string | null): SQL {
  return sql`select d.id, d.sent_at, coalesce(r.sku, e.sku) as sku, d.template_key,
      case when d.kind = 'back-in-stock' then d.ref_id end as restock_event_id,
      case when d.kind = 'back-in-stock' then (
        select max(w.wave_no) from restock_waves w where w.restock_event_id = d.ref_id and w.created_at <= d.created_at
      ) end as wave_no,
      tv.locale as template_locale, tv.version as template_version
    from deliveries d
    left join restock_events r on d.kind = 'back-in-stock' and r.id = d.ref_id
    left join eta_events e on d.kind = 'eta-revised' and e.id = d.ref_id
    left join lateral (
      select t.locale, t.version from templates t
      where t.key = d.template_key and t.status = 'published'
        and t.locale in (coalesce(d.locale, 'en'), split_part(coalesce(d.locale, 'en'), '-', 1), 'en', 'default')
      -- pickTemplate's order: the exact locale, its language, en, default.
      order by case t.locale when d.locale then 0 when split_part(d.locale, '-', 1) then 1 when 'en' then 2 else 3 end,
        (t.published_at <= d.sent_at) desc,
        case when t.published_at <= d.sent_at then t.version else -t.version end desc
      limit 1) tv on true
    where d.kind in ('back-in-stock', 'eta-revised') and d.status = 'sent'
      and d.sent_at >= (${from}::date)::timestamp at time zone 'UTC'
      and d.sent_at < (${to}::date + 1)::timestamp at time zone 'UTC'
      and (${sku}::text is null or coalesce(r.sku, e.sku) = ${sku})`;
}

type Key = Record<string, unknown>;
type CountRow = Key & { notified: number; clicked: number };
type OrderRow = Key & { orders: number; units: number };
type MoneyRow = Key & { currency: string; minor: string | number };

/**
 * Counts, orders and money grouped by `keys` (columns of the notifications relation `n`): notified =
 * emails sent, clicked = emails with a person's first click, orders = distinct orders with a line
 * attributed to them, units = those lines' quantities, revenue = Σ quantity × unit price per currency
 * in minor units (bigint in SQL, never a float; currencies never added together).
 */
async function grouped(deps: Pick<Deps, 'db'>, base: SQL, keys: string[], dayOfOrder = false) {
  const k = sql.raw(keys.length ? keys.map((c) => `n.${c}`).join(', ') : `'all'`);
  const kSel = sql.raw(keys.length ? keys.map((c) => `n.${c} as "${c}"`).join(', ') + ',' : '');
  const g = keys.length ? sql`group by ${k}` : sql``;
  const counts = await rows<CountRow>(
    deps.db,
    sql`with n as (${base})
    select ${kSel} count(*)::int as notified,
      count(*) filter (where exists (select 1 from link_clicks c where c.delivery_id = n.id and c.class = 'first'))::int as clicked
    from n ${g}`,
  );
  // For the per-day series, orders and money fall on the day the order was placed.
  const lk = dayOfOrder ? sql.raw(`to_char(o.placed_at at time zone 'UTC', 'YYYY-MM-DD')`) : k;
  const lSel = dayOfOrder ? sql.raw(`to_char(o.placed_at at time zone 'UTC', 'YYYY-MM-DD') as "day",`) : kSel;
  const lg = keys.length ? sql`group by ${lk}` : sql``;
  const from = sql`from n join order_lines l on l.attributed_delivery_id = n.id
    join orders o on o.order_id = l.order_id`;
  const orders = await rows<OrderRow>(
    deps.db,
    sql`with n as (${base})
    select ${lSel} count(distinct l.order_id)::int as orders, coalesce(sum(l.quantity), 0)::int as units
    ${from} ${lg}`,
  );
  const money = await rows<MoneyRow>(
    deps.db,
    sql`with n as (${base})
    select ${lSel} o.currency, sum(l.quantity::bigint * l.unit_price_minor)::text as minor ${from}
    group by ${keys.length ? sql`${lk}, ` : sql``}o.currency order by o.currency`,
  );
  return { counts, orders, money };
}

const keyOf = (r: Key, keys: string[]) => JSON.stringify(keys.map((c) => r[c] ?? null));

function merge(keys: string[], data: Awaited<ReturnType<typeof grouped>>): Map<string, Outcome & { key: Key }> {
  const out = new Map<string, Outcome & { key: Key }>();
  const at = (r: Key) => {
    const id = keyOf(r, keys);
    let o = out.get(id);
    if (!o)
      out.set(
        id,
        (o = {
          key: Object.fromEntries(keys.map((c) => [c, r[c] ?? null])),
          notified: 0,
          clicked: 0,
          orders: 0,
          units: 0,
          revenue: [],
          conversionRate: null,
        }),
      );
    return o;
  };
  for (const r of data.counts) Object.assign(at(r), { notified: r.notified, clicked: r.clicked });
  for (const r of data.orders) Object.assign(at(r), { orders: r.orders, units: r.units });
  for (const r of data.money)
    at(r).revenue.push({
      currency: r.currency,
      amount: formatMinor(String(r.minor), r.currency),
      minor: String(r.minor),
    });
  for (const o of out.values())
    o.conversionRate = o.notified > 0 ? Math.round((o.orders / o.notified) * 10_000) / 10_000 : null;
  return out;
}

const strip = ({ key: _key, ...o }: Outcome & { key: Key }): Outcome => o;

/**
 * What the notifications of a window brought in (SPEC: GET /api/v1/admin/reports/results): totals,
 * per SKU, per wave of each restock, per template version, and per UTC day (emails and clicks on the
 * day sent, orders and revenue on the day placed). Orders count for the window of the email they are
 * attributed to, even when placed after `to`. Default window: the 30 days up to today.
 * @throws AppError VALIDATION for a day outside 2000-01-01 … 2100-12-31 or a malformed SKU.
 */
export async function resultsReport(deps: Pick<Deps, 'db' | 'clock'>, input: ResultsQuery): Promise<ResultsReport> {
  const parsed = ResultsQuery.safeParse(input);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The report query is not valid.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const q = parsed.data;
  const to = q.to ?? deps.clock.now().toISOString().slice(0, 10);
  const from = q.from ?? new Date(new Date(`${to}T00:00:00Z`).getTime() - 29 * 86_400_000).toISOString().slice(0, 10);
  const base = notifications(from, to, q.sku ?? null);
  const totals = merge([], await grouped(deps, base, []));
  const bySku = merge(['sku'], await grouped(deps, base, ['sku']));
  const waveKeys = ['restock_event_id', 'wave_no'];
  const waveBase = sql`select * from (${base}) b where b.wave_no is not null`;
  const byWave = merge(waveKeys, await grouped(deps, waveBase, waveKeys));
  const tplKeys = ['template_key', 'template_locale', 'template_version'];
  const byTemplate = merge(tplKeys, await grouped(deps, base, tplKeys));
  const days = await daySeries(deps, base);

  const products = await rows<{ sku: string; name: string }>(
    deps.db,
    sql`
    select sku, name from products where sku in (select n.sku from (${base}) n)`,
  );
  const names = new Map(products.map((r) => [r.sku, r.name]));
  type WaveRow = {
    restockEventId: number;
    waveNo: number;
    sku: string;
    createdAt: Date | string;
    maxRecipients: number | null;
    explanation: string | null;
  };
  const waveRows = await rows<WaveRow>(
    deps.db,
    sql`
    select w.restock_event_id as "restockEventId", w.wave_no as "waveNo", e.sku, w.created_at as "createdAt",
      w.max_recipients as "maxRecipients", w.explanation
    from restock_waves w join restock_events e on e.id = w.restock_event_id
    where w.restock_event_id in (select n.restock_event_id from (${base}) n)
    order by e.sku, w.restock_event_id, w.wave_no`,
  );
  const empty = (): Outcome => ({ notified: 0, clicked: 0, orders: 0, units: 0, revenue: [], conversionRate: null });
  return {
    from,
    to,
    sku: q.sku ?? null,
    totals: [...totals.values()].map(strip)[0] ?? empty(),
    skus: [...bySku.values()]
      .map((o) => ({ sku: String(o.key.sku), name: names.get(String(o.key.sku)) ?? String(o.key.sku), ...strip(o) }))
      .sort((a, b) => b.orders - a.orders || b.notified - a.notified || a.sku.localeCompare(b.sku)),
    waves: waveRows.map((w) => ({
      restockEventId: w.restockEventId,
      sku: w.sku,
      name: names.get(w.sku) ?? w.sku,
      waveNo: w.waveNo,
      startedAt: new Date(w.createdAt).toISOString(),
      maxRecipients: w.maxRecipients,
      explanation: w.explanation,
      ...(byWave.has(keyOf({ restock_event_id: w.restockEventId, wave_no: w.waveNo }, waveKeys))
        ? strip(byWave.get(keyOf({ restock_event_id: w.restockEventId, wave_no: w.waveNo }, waveKeys))!)
        : empty()),
    })),
    templates: [...byTemplate.values()]
      .map((o) => ({
        templateKey: String(o.key.template_key),
        locale: String(o.key.template_locale ?? 'default'),
        version: o.key.template_version === null ? null : Number(o.key.template_version),
        ...strip(o),
      }))
      .sort(
        (a, b) =>
          a.templateKey.localeCompare(b.templateKey) ||
          a.locale.localeCompare(b.locale) ||
          (a.version ?? 0) - (b.version ?? 0),
      ),
    days,
  };
}

async function daySeries(deps: Pick<Deps, 'db'>, base: SQL): Promise<DayResult[]> {
  const byDay = sql`select b.*, to_char(b.sent_at at time zone 'UTC', 'YYYY-MM-DD') as day from (${base}) b`;
  const sent = merge(['day'], await grouped(deps, byDay, ['day'], true));
  return [...sent.values()]
    .map((o) => ({
      date: String(o.key.day),
      notified: o.notified,
      clicked: o.clicked,
      orders: o.orders,
      units: o.units,
      revenue: o.revenue,
    }))
    .sort((a, b) => a.date.localeCompare(b.date));
}
