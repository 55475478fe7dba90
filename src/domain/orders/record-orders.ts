import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import { withTx } from '../../db/transaction.js';
import type { Deps } from '../../deps.js';
import { canonicalMailboxSql } from './mailbox-sql.js';
import type { OrderInput } from './order-input.js';

export type OrderSource = 'api' | 'shopify' | 'woocommerce';
export type RecordedOrder = { orderId: string; created: boolean; lines: number; attributedLines: number };

/**
 * Records orders (already parsed by `OrderInput`) in one transaction and attributes each new line.
 * Idempotent on `orderId`: an order recorded before — by the API or a platform webhook — is left as
 * it was (`created: false`), so replays change nothing. A line counts for the latest `back-in-stock`
 * or `eta-revised` email of its SKU sent to the same canonical mailbox within
 * ATTRIBUTION_WINDOW_DAYS before `placedAt` (SPEC "Attribution"); without one (never notified, the
 * order placed before the email, an unknown SKU) it is stored unattributed.
 * Side effects: `orders`, `order_lines` rows.
 */
export async function recordOrders(
  ctx: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { source: OrderSource; orders: OrderInput[] },
): Promise<RecordedOrder[]> {
  const now = ctx.clock.now();
  const windowMs = ctx.config.results.attributionWindowDays * 86_400_000;
  return withTx(ctx.db, async (tx) => {
    const out: RecordedOrder[] = [];
    for (const o of input.orders) {
      const placedAt = (o.placedAt ?? now).toISOString();
      const since = new Date(new Date(placedAt).getTime() - windowMs).toISOString();
      const inserted = await rows<{ order_id: string }>(
        tx,
        sql`
        insert into orders (order_id, source, mailbox, currency, placed_at, created_at)
        values (${o.orderId}, ${input.source}, ${o.mailbox}, ${o.currency}, ${placedAt}::timestamptz,
          ${now.toISOString()}::timestamptz)
        on conflict (order_id) do nothing returning order_id`,
      );
      if (!inserted[0]) {
        out.push({ orderId: o.orderId, created: false, lines: o.lines.length, attributedLines: 0 });
        continue;
      }
      const lines = JSON.stringify(
        o.lines.map((l) => ({
          line_no: l.lineNo,
          sku: l.sku,
          quantity: l.quantity,
          unit_price_minor: l.unitPriceMinor,
        })),
      );
      const attributed = await rows<{ attributed: number }>(
        tx,
        sql`
        with ins as (
          insert into order_lines (order_id, line_no, sku, quantity, unit_price_minor, attributed_delivery_id)
          select ${o.orderId}, l.line_no, l.sku, l.quantity, l.unit_price_minor, (
            select n.id from (
              select d.id, d.sent_at from restock_events r
                join deliveries d on d.kind = 'back-in-stock' and d.ref_id = r.id
               where r.sku = l.sku
              union all
              select d.id, d.sent_at from eta_events e
                join deliveries d on d.kind = 'eta-revised' and d.ref_id = e.id
               where e.sku = l.sku
            ) n join deliveries d on d.id = n.id
            where d.status = 'sent' and d.sent_at <= ${placedAt}::timestamptz and d.sent_at > ${since}::timestamptz
              and ${canonicalMailboxSql(sql`d.recipient_normalized`)} = ${o.mailbox}
            order by d.sent_at desc, d.id desc limit 1)
          from jsonb_to_recordset(${lines}::jsonb) as l(line_no int, sku text, quantity int, unit_price_minor bigint)
          returning attributed_delivery_id
        )
        select (count(*) filter (where attributed_delivery_id is not null))::int as attributed from ins`,
      );
      out.push({
        orderId: o.orderId,
        created: true,
        lines: o.lines.length,
        attributedLines: attributed[0]?.attributed ?? 0,
      });
    }
    return out;
  });
}
