import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { rows } from '../../db/client.js';
import { backInStock, etaRevised } from '../../ledger/kinds/index.js';

type StatusCounts = {
  queued: number;
  sending: number;
  sent: number;
  retry: number;
  failed: number;
  skipped: number;
  total: number;
};

type EventProgress = StatusCounts & {
  kind: 'restock' | 'eta';
  eventId: number;
  sku: string;
  productName: string;
  detectedAt: string;
  lastSentAt: string | null;
};

type DeliveryFailure = {
  deliveryId: number;
  templateKey: string;
  eventId: number | null;
  sku: string | null;
  recipient: string;
  status: 'failed' | 'retry';
  attempts: number;
  lastError: string | null;
  smtpResponse: string | null;
  nextAttemptAt: string | null;
  updatedAt: string;
};

export type DeliveriesReport = {
  /** Sums over `events`: the tiles above the events table add up to its columns. */
  summary: StatusCounts;
  /** Every delivery of any kind (confirmations, order notices, webhooks too) queued in the last 7 days. */
  last7Days: StatusCounts;
  events: EventProgress[];
  failures: DeliveryFailure[];
};

const counts = sql`count(d.id) filter (where d.status = 'queued')::int as queued,
  count(d.id) filter (where d.status = 'sending')::int as sending,
  count(d.id) filter (where d.status = 'sent')::int as sent,
  count(d.id) filter (where d.status = 'retry')::int as retry,
  count(d.id) filter (where d.status = 'failed')::int as failed,
  count(d.id) filter (where d.status = 'skipped')::int as skipped,
  count(d.id)::int as total`;

type CountRow = StatusCounts;
const pickCounts = (r: CountRow): StatusCounts => ({
  queued: r.queued,
  sending: r.sending,
  sent: r.sent,
  retry: r.retry,
  failed: r.failed,
  skipped: r.skipped,
  total: r.total,
});

/**
 * Delivery progress of the most recent restock and ETA events (optionally of one SKU) with their sum,
 * the status counts of every delivery queued in the last 7 days, and the most recent failures and retries with
 * their SMTP replies — what an operator needs to see why someone got no email.
 */
export async function deliveriesReport(
  deps: Pick<Deps, 'db' | 'clock'>,
  options: { sku?: string; limit?: number } = {},
): Promise<DeliveriesReport> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const sku = options.sku ?? null;
  const since = new Date(deps.clock.now().getTime() - 7 * 86_400_000).toISOString();
  // Recent events first (through their (sku, detected_at) indexes), then only their deliveries
  // (through deliveries_kind_ref_idx): the cost follows `limit`, not the size of the ledger.
  const events = await rows<
    CountRow & {
      kind: 'restock' | 'eta';
      id: number;
      sku: string;
      name: string;
      detected_at: Date | string;
      last_sent: Date | string | null;
    }
  >(
    deps.db,
    sql`with ev as (
          (select 'restock' as kind, ${backInStock.key}::text as delivery_kind, id, sku, detected_at from restock_events
            where ${sku}::text is null or sku = ${sku} order by detected_at desc limit ${limit})
          union all
          (select 'eta', ${etaRevised.key}::text, id, sku, detected_at from eta_events
            where ${sku}::text is null or sku = ${sku} order by detected_at desc limit ${limit})
        )
        select ev.kind, ev.id, ev.sku, p.name, ev.detected_at, max(d.sent_at) as last_sent, ${counts}
        from ev join products p on p.sku = ev.sku
        left join deliveries d on d.kind = ev.delivery_kind and d.ref_id = ev.id
        group by ev.kind, ev.id, ev.sku, p.name, ev.detected_at
        order by ev.detected_at desc, ev.id desc limit ${limit}`,
  );
  const [last7Days] = await rows<CountRow>(
    deps.db,
    sql`select ${counts} from deliveries d where d.created_at >= ${since}::timestamptz`,
  );
  const failures = await rows<{
    id: number;
    template_key: string;
    event_id: number | null;
    sku: string | null;
    recipient: string;
    status: 'failed' | 'retry';
    attempts: number;
    last_error: string | null;
    smtp_response: string | null;
    next_attempt_at: Date | string | null;
    updated_at: Date | string;
  }>(
    deps.db,
    sql`select d.id, d.template_key, d.ref_id as event_id, s.sku, d.recipient, d.status::text as status, d.attempts, d.last_error,
          d.smtp_response, d.next_attempt_at, d.updated_at
        from deliveries d left join subscriptions s on s.id = d.subscription_id
        where d.status in ('failed', 'retry') and (${sku}::text is null or s.sku = ${sku})
        order by d.updated_at desc, d.id desc limit ${limit}`,
  );
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  const zero: StatusCounts = { queued: 0, sending: 0, sent: 0, retry: 0, failed: 0, skipped: 0, total: 0 };
  const summary = { ...zero };
  for (const e of events) for (const k of Object.keys(zero) as (keyof StatusCounts)[]) summary[k] += e[k];
  return {
    summary,
    last7Days: last7Days ? pickCounts(last7Days) : zero,
    events: events.map((e) => ({
      kind: e.kind,
      eventId: e.id,
      sku: e.sku,
      productName: e.name,
      detectedAt: iso(e.detected_at) as string,
      lastSentAt: iso(e.last_sent),
      ...pickCounts(e),
    })),
    failures: failures.map((f) => ({
      deliveryId: f.id,
      templateKey: f.template_key,
      eventId: f.event_id,
      sku: f.sku,
      recipient: f.recipient,
      status: f.status,
      attempts: f.attempts,
      lastError: f.last_error,
      smtpResponse: f.smtp_response,
      nextAttemptAt: f.status === 'retry' ? iso(f.next_attempt_at) : null,
      updatedAt: iso(f.updated_at) as string,
    })),
  };
}
