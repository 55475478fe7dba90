import { sql, type SQL } from 'drizzle-orm';

/**
 * The retention job's bounded DELETEs. Each statement touches at most `limit` rows, reached through an
 * index (webhook receipts: `received_at`; events and deliveries: a primary-key range after a cursor,
 * since ids grow with time), so a run holds short locks and never scans a whole table at once.
 * Each returns `deleted`, the batch's `last_id` (the cursor for the next batch) and `newer`, the rows of
 * the batch that are inside the window: once a whole batch is inside it, the walk stops (ids grow with
 * time, so what follows is newer too; a few late rows among old ones do not stop it early).
 */
export type BatchResult = { deleted: number; last_id: number | null; seen: number; newer: number };

export function deleteWebhookReceiptsSql(cutoff: string, limit: number): SQL {
  return sql`with doomed as (
      select provider, delivery_id from webhook_receipts where received_at < ${cutoff}::timestamptz order by received_at limit ${limit}
    ), del as (
      delete from webhook_receipts w using doomed d where w.provider = d.provider and w.delivery_id = d.delivery_id returning 1
    )
    select (select count(*)::int from del) as deleted, null::bigint as last_id, 0 as seen, 0 as newer`;
}

/**
 * Inventory history older than the cutoff, except what detection or a report still needs: anything at
 * or after the SKU's scan cursor (the scan reads events after it, and the newest event per SKU is the
 * SKU's last known state), the event that opened a running settle window, and events that a restock
 * or ETA event points at (the history of what was announced, and their foreign keys).
 */
export function deleteInventoryEventsSql(cutoff: string, afterId: number, limit: number): SQL {
  return sql`with batch as (
      select id, sku, received_at from inventory_events where id > ${afterId} order by id limit ${limit}
    ), doomed as (
      select b.id from batch b join products p on p.sku = b.sku
       where b.received_at < ${cutoff}::timestamptz
         and b.id < p.scanned_event_id
         and b.id is distinct from p.restock_pending_event_id
         and not exists (select 1 from restock_events r where r.inventory_event_id = b.id)
         and not exists (select 1 from eta_events x where x.inventory_event_id = b.id)
    ), del as (
      delete from inventory_events e using doomed d where e.id = d.id returning 1
    )
    select (select count(*)::int from del) as deleted, (select max(id) from batch) as last_id, (select count(*)::int from batch) as seen,
           (select count(*)::int from batch where received_at >= ${cutoff}::timestamptz) as newer`;
}

/**
 * Finished deliveries (sent, failed, skipped) last changed before the cutoff. Queued, retry and sending
 * rows are never touched: they are pending decisions of the sender. Producers stay idempotent without
 * the old rows (waves, ETA fan-outs and confirmation tokens keep their own rows).
 */
export function deleteDeliveriesSql(cutoff: string, afterId: number, limit: number): SQL {
  return sql`with batch as (
      select id, status, created_at, updated_at from deliveries where id > ${afterId} order by id limit ${limit}
    ), doomed as (
      select id from batch where status in ('sent', 'failed', 'skipped') and updated_at < ${cutoff}::timestamptz
    ), del as (
      delete from deliveries d using doomed x where d.id = x.id returning 1
    )
    select (select count(*)::int from del) as deleted, (select max(id) from batch) as last_id, (select count(*)::int from batch) as seen,
           (select count(*)::int from batch where created_at >= ${cutoff}::timestamptz) as newer`;
}
