import { sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import { rows, type Db } from '../../db/client.js';
import type { BackorderStatus } from '../../db/schema/index.js';

export type BacklogFilter = { sku?: string; status?: BackorderStatus; overdue?: boolean };

type BacklogSkuRow = {
  sku: string;
  name: string;
  openLines: number;
  openUnits: number;
  allocatedLines: number;
  oldestOrderDate: string | null;
  earliestPromisedDate: string | null;
  latestPromisedDate: string | null;
  overdueLines: number;
  awaitingAnswer: number;
  cancelDueLines: number;
  unreachableLines: number;
  eta: string | null;
  etaReason: string | null;
  unitsOnHand: number;
};

/** A cancelled (or cancel_due) line whose refund the shop has not reported yet. */
type RefundRow = {
  orderId: string;
  sku: string;
  status: BackorderStatus;
  creditApplied: boolean;
  refundDueBy: string;
  pastDue: boolean;
};

export type BacklogReport = {
  asOf: string;
  skus: BacklogSkuRow[];
  /** Refunds owed, the earliest due first; `pastDue` once the due date has passed (16 CFR 435.1 "prompt refund"). */
  refunds: RefundRow[];
  summary: {
    lines: number;
    units: number;
    overdueLines: number;
    averageAgeDays: number | null;
    answers: { waited: number; cancelled: number; silent: number };
    refundsOwed: number;
    refundsPastDue: number;
  };
};

/** Lines not yet shipped and not cancelled: what the shop still owes. */
const BACKLOG: BackorderStatus[] = ['open', 'allocated', 'cancel_due'];

/**
 * The backlog per SKU (oldest order first) and a summary, as of the clock's date (UTC).
 * Which lines: the backlog (open, allocated, cancel_due) unless `status` picks one status;
 * `overdue` keeps only overdue lines — not shipped although the ORIGINAL promised date has passed
 * (a revised date does not make a broken promise less late). `sku` narrows to one SKU.
 * Answers (waited / cancelled / silent = a consent deadline passed without an answer) count lines
 * of the selected SKU(s) whatever their status, from the history.
 */
export async function backlogReport(
  deps: { db: Db; clock: Clock },
  filter: BacklogFilter = {},
): Promise<BacklogReport> {
  const today = deps.clock.now().toISOString().slice(0, 10);
  const statuses = filter.status ? [filter.status] : BACKLOG;
  const where = sql`b.status::text = any(${`{${statuses.join(',')}}`}::text[])
    ${filter.sku ? sql`and b.sku = ${filter.sku}` : sql``}
    ${filter.overdue ? sql`and b.promised_date < ${today}::date and b.status in ('open', 'allocated', 'cancel_due')` : sql``}`;
  const perSku = await rows<Record<string, unknown>>(
    deps.db,
    sql`select b.sku, p.name, p.quantity as units_on_hand, p.eta::text as eta, p.eta_reason,
          count(*) filter (where b.status = 'open')::int as open_lines,
          coalesce(sum(b.quantity) filter (where b.status = 'open'), 0)::int as open_units,
          count(*) filter (where b.status = 'allocated')::int as allocated_lines,
          min(b.ordered_at) as oldest_order,
          min(b.promised_date)::text as earliest_promised, max(b.promised_date)::text as latest_promised,
          count(*) filter (where b.promised_date < ${today}::date and b.status in ('open', 'allocated', 'cancel_due'))::int as overdue_lines,
          count(*) filter (where b.awaiting_answer)::int as awaiting_answer,
          count(*) filter (where b.status = 'cancel_due')::int as cancel_due_lines,
          count(*) filter (where b.unreachable)::int as unreachable_lines,
          count(*)::int as lines, coalesce(sum(b.quantity), 0)::int as units,
          sum(${today}::date - (b.ordered_at at time zone 'UTC')::date)::int as age_days
        from backorders b join products p on p.sku = b.sku
        where ${where}
        group by b.sku, p.name, p.quantity, p.eta, p.eta_reason
        order by min(b.ordered_at), b.sku`,
  );
  const [answers] = await rows<{ waited: number; cancelled: number; silent: number }>(
    deps.db,
    sql`select count(distinct e.backorder_id) filter (where e.type = 'answer' and e.answer = 'wait')::int as waited,
          count(distinct e.backorder_id) filter (where e.type = 'answer' and e.answer = 'cancel')::int as cancelled,
          count(distinct e.backorder_id) filter (where e.type = 'cancel_due')::int as silent
        from backorder_events e join backorders b on b.id = e.backorder_id
        where e.type in ('answer', 'cancel_due') ${filter.sku ? sql`and b.sku = ${filter.sku}` : sql``}`,
  );
  type Owed = {
    order_id: string;
    sku: string;
    status: BackorderStatus;
    credit_applied: boolean;
    refund_due_by: string;
  };
  const owed = await rows<Owed>(
    deps.db,
    sql`select b.order_id, b.sku, b.status, b.credit_applied, b.refund_due_by::text as refund_due_by
        from backorders b
        where b.refund_due_by is not null and b.refunded_at is null and b.status in ('cancelled', 'cancel_due')
          ${filter.sku ? sql`and b.sku = ${filter.sku}` : sql``}
        order by b.refund_due_by, b.id
        limit 1000`,
  );
  const refunds: RefundRow[] = owed.map((r) => ({
    orderId: r.order_id,
    sku: r.sku,
    status: r.status,
    creditApplied: Boolean(r.credit_applied),
    refundDueBy: r.refund_due_by,
    pastDue: r.refund_due_by < today,
  }));
  const num = (v: unknown) => Number(v ?? 0);
  const day = (v: unknown) => (v == null ? null : new Date(v as string).toISOString().slice(0, 10));
  const skus: BacklogSkuRow[] = perSku.map((r) => ({
    sku: r.sku as string,
    name: r.name as string,
    openLines: num(r.open_lines),
    openUnits: num(r.open_units),
    allocatedLines: num(r.allocated_lines),
    oldestOrderDate: day(r.oldest_order),
    earliestPromisedDate: (r.earliest_promised as string | null) ?? null,
    latestPromisedDate: (r.latest_promised as string | null) ?? null,
    overdueLines: num(r.overdue_lines),
    awaitingAnswer: num(r.awaiting_answer),
    cancelDueLines: num(r.cancel_due_lines),
    unreachableLines: num(r.unreachable_lines),
    eta: (r.eta as string | null) ?? null,
    etaReason: (r.eta_reason as string | null) ?? null,
    unitsOnHand: num(r.units_on_hand),
  }));
  const lines = perSku.reduce((s, r) => s + num(r.lines), 0);
  const ageDays = perSku.reduce((s, r) => s + num(r.age_days), 0);
  return {
    asOf: today,
    skus,
    refunds,
    summary: {
      lines,
      units: perSku.reduce((s, r) => s + num(r.units), 0),
      overdueLines: skus.reduce((s, r) => s + r.overdueLines, 0),
      averageAgeDays: lines === 0 ? null : Math.round((ageDays / lines) * 10) / 10,
      answers: { waited: num(answers?.waited), cancelled: num(answers?.cancelled), silent: num(answers?.silent) },
      refundsOwed: refunds.length,
      refundsPastDue: refunds.filter((r) => r.pastDue).length,
    },
  };
}

const CSV_COLUMNS: (keyof BacklogSkuRow)[] = [
  'sku',
  'name',
  'openLines',
  'openUnits',
  'allocatedLines',
  'oldestOrderDate',
  'earliestPromisedDate',
  'latestPromisedDate',
  'overdueLines',
  'awaitingAnswer',
  'cancelDueLines',
  'unreachableLines',
  'eta',
  'etaReason',
  'unitsOnHand',
];

/**
 * RFC 4180 CSV of the per-SKU rows. Cells that a spreadsheet would run as a formula (= + - @ at the
 * start) get a leading apostrophe: product names and reasons come from outside.
 */
export function backlogCsv(report: BacklogReport): string {
  const cell = (v: unknown) => {
    let s = v == null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [CSV_COLUMNS.join(','), ...report.skus.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
