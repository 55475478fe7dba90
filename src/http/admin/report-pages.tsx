import type { ApiResult } from './console-context.js';
import { ApiProblem, HeadRow, PageHead, when } from './layout.js';
import { SignupChart } from './signup-chart.js';

export type DemandRow = {
  sku: string;
  name?: string | null;
  active: number;
  pending: number;
  notified: number;
  new7d?: number;
  oldestWaiting?: string | null;
  quantity?: number | null;
  eta?: string | null;
  valueWaiting?: { currency: string; amount: string } | null;
};
export type DeliveryEvent = {
  kind: 'restock' | 'eta';
  eventId: string | number;
  sku: string;
  productName?: string | null;
  detectedAt?: string | null;
  lastSentAt?: string | null;
  queued: number;
  sending: number;
  sent: number;
  retry: number;
  failed: number;
  skipped: number;
};
export type Failure = {
  deliveryId: string | number;
  templateKey?: string;
  sku?: string | null;
  recipient?: string | null;
  status: 'failed' | 'retry';
  attempts?: number;
  lastError?: string | null;
  smtpResponse?: string | null;
  nextAttemptAt?: string | null;
  updatedAt?: string | null;
};

const tileLabel = {
  sent: 'Sent',
  queued: 'Waiting to send',
  retry: 'Will retry',
  failed: 'Failed',
  skipped: 'Skipped',
} as const;

export const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);

/** The demand page's body (its route: routes/reports.ts). */
export function DemandView(props: {
  answer: ApiResult<unknown>;
  rows: DemandRow[];
  sum: (k: 'active' | 'pending' | 'notified' | 'new7d') => number;
  skuCount: number;
  sku: string | undefined;
  days: { date: string; signups: number }[];
}) {
  const { answer, rows, sum, skuCount, sku, days } = props;
  return (
    <>
      <PageHead
        title="Demand"
        lead="Who is waiting for what: the waitlist per SKU, longest first."
        actions={
          <a class="button secondary" href="/api/v1/admin/reports/demand?format=csv" download="demand.csv">
            Export CSV
          </a>
        }
      />
      {answer.ok ? null : <ApiProblem status={answer.status} message={answer.message} />}
      <div class="stats">
        <div class="stat" data-tile="skus">
          <span class="muted small">SKUs</span>
          <b>{skuCount}</b>
        </div>
        <div class="stat" data-tile="active">
          <span class="muted small">Waiting (confirmed)</span>
          <b>{sum('active')}</b>
        </div>
        <div class="stat" data-tile="pending">
          <span class="muted small">Not confirmed yet</span>
          <b>{sum('pending')}</b>
        </div>
        <div class="stat" data-tile="new7d">
          <span class="muted small">New in the last 7 days</span>
          <b>{sum('new7d')}</b>
        </div>
        <div class="stat" data-tile="notified">
          <span class="muted small">Notified so far</span>
          <b>{sum('notified')}</b>
        </div>
      </div>
      <section class="card" aria-labelledby="chart-title">
        <form method="get" action="/admin/demand" class="inline" style="margin-bottom:12px">
          <h2 id="chart-title" style="margin:0 auto 0 0">
            Daily signups
          </h2>
          <div>
            <label for="chart-sku" class="sr-only">
              SKU for the chart
            </label>
            <select id="chart-sku" name="sku">
              {rows.map((r) => (
                <option value={r.sku} selected={r.sku === sku}>
                  {r.sku}
                  {r.name ? ` — ${r.name}` : ''}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary">
            Show
          </button>
        </form>
        {sku && days.length ? <SignupChart sku={sku} days={days} /> : <p class="empty">No signups to chart yet.</p>}
      </section>
      <div class="inline" style="margin-bottom:12px">
        <div class="grow">
          <label for="demand-filter">Search SKUs</label>
          <input id="demand-filter" type="search" data-filter-for="demand-table" placeholder="SKU or product name" />
        </div>
        <p id="demand-table-count" class="small muted" aria-live="polite">
          {rows.length < skuCount
            ? `${rows.length} of ${skuCount} SKUs (the most waiting first; the tiles count all)`
            : `${rows.length} SKUs`}
        </p>
      </div>
      <div class="table-wrap">
        <table id="demand-table" data-sortable>
          <caption class="sr-only">Waitlist per SKU (column headers sort)</caption>
          <thead>
            <HeadRow
              cols={[
                'SKU',
                'Product',
                { num: 'Waiting' },
                { num: 'Not confirmed' },
                { num: 'Notified' },
                { num: 'New 7 days' },
                'Oldest waiting',
                { num: 'Stock' },
                'ETA',
                { num: 'Value waiting' },
              ]}
            />
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td class="mono">
                  <a href={`/admin/demand?sku=${encodeURIComponent(r.sku)}`}>{r.sku}</a>
                </td>
                <td>{r.name ?? ''}</td>
                <td class="num">
                  <strong>{num(r.active)}</strong>
                </td>
                <td class="num">{num(r.pending)}</td>
                <td class="num">{num(r.notified)}</td>
                <td class="num">{num(r.new7d)}</td>
                <td class="small" data-value={r.oldestWaiting ?? ''}>
                  {when(r.oldestWaiting)}
                </td>
                <td class="num">{r.quantity ?? '—'}</td>
                <td data-value={r.eta ?? ''}>{r.eta ?? '—'}</td>
                <td class="num" data-value={r.valueWaiting?.amount ?? ''}>
                  {r.valueWaiting ? `${r.valueWaiting.currency} ${r.valueWaiting.amount}` : '—'}
                </td>
              </tr>
            ))}
            {rows.length === 0 && answer.ok ? (
              <tr>
                <td colspan={10} class="empty">
                  Nobody is waiting for anything yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The deliveries page's body (its route: routes/reports.ts). */
export function DeliveriesView(props: {
  answer: ApiResult<{ summary?: Record<string, number> }>;
  summary: Record<string, number> | undefined;
  events: DeliveryEvent[];
  failures: Failure[];
  parts: readonly ('sent' | 'sending' | 'queued' | 'retry' | 'failed' | 'skipped')[];
}) {
  const { answer, summary, events, failures, parts } = props;
  return (
    <>
      <PageHead title="Deliveries" lead="Every restock and ETA announcement, how far it got, and what went wrong." />
      {answer.ok ? null : <ApiProblem status={answer.status} message={answer.message} />}
      {summary ? (
        <div class="stats">
          {(['sent', 'queued', 'retry', 'failed', 'skipped'] as const).map((k) => (
            <div class="stat" data-tile={k}>
              <span class="muted small">{tileLabel[k]}</span>
              <b>{num(summary[k])}</b>
            </div>
          ))}
        </div>
      ) : null}
      <div class="legend" style="margin-bottom:8px" aria-hidden="true">
        {parts.map((p) => (
          <span>
            <i class={`p-${p}`}></i>
            {p}
          </span>
        ))}
      </div>
      <div class="table-wrap" style="margin-bottom:20px">
        <table>
          <caption class="sr-only">Progress per event</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">SKU</th>
              <th scope="col">When</th>
              <th scope="col">Progress</th>
              {parts.map((p) => (
                <th scope="col" class="num">
                  {p}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {events.map((e) => {
              const total = Math.max(
                1,
                parts.reduce((s, p) => s + num(e[p]), 0),
              );
              return (
                <tr>
                  <td>{e.kind === 'eta' ? 'New ETA' : 'Restock'}</td>
                  <td>
                    <span class="mono">{e.sku}</span>
                    {e.productName ? (
                      <>
                        <br />
                        <span class="muted small">{e.productName}</span>
                      </>
                    ) : null}
                  </td>
                  <td class="small">{when(e.detectedAt)}</td>
                  <td>
                    <div class="progress" role="img" aria-label={parts.map((p) => `${num(e[p])} ${p}`).join(', ')}>
                      {parts.map((p) =>
                        num(e[p]) ? <span class={`p-${p}`} style={`width:${(100 * num(e[p])) / total}%`}></span> : null,
                      )}
                    </div>
                  </td>
                  {parts.map((p) => (
                    <td class="num">{num(e[p])}</td>
                  ))}
                </tr>
              );
            })}
            {events.length === 0 && answer.ok ? (
              <tr>
                <td colspan={10} class="empty">
                  No announcements sent yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <p class="small muted">The tiles add up the {events.length} announcements in the table.</p>
      <h2>
        Recent failures <span class="muted small">({failures.length} shown, of every kind of email)</span>
      </h2>
      <div class="table-wrap">
        <table>
          <thead>
            <HeadRow cols={['When', 'Email', 'Recipient', 'SKU', 'Status', { num: 'Attempts' }, 'SMTP reply']} />
          </thead>
          <tbody>
            {failures.map((f) => (
              <tr>
                <td class="small">{when(f.updatedAt)}</td>
                <td>{f.templateKey ?? ''}</td>
                <td>
                  {f.recipient ? (
                    <a href={`/admin/subscribers?email=${encodeURIComponent(f.recipient)}`}>{f.recipient}</a>
                  ) : (
                    '—'
                  )}
                </td>
                <td class="mono">{f.sku ?? ''}</td>
                <td>
                  <span class={`badge ${f.status === 'failed' ? 'error' : 'warning'}`}>
                    {f.status === 'retry' ? 'will retry' : 'failed'}
                  </span>
                  {f.status === 'retry' && f.nextAttemptAt ? (
                    <span class="small muted"> {when(f.nextAttemptAt)}</span>
                  ) : null}
                </td>
                <td class="num">{f.attempts ?? ''}</td>
                <td class="mono small">{f.smtpResponse ?? f.lastError ?? ''}</td>
              </tr>
            ))}
            {failures.length === 0 && answer.ok ? (
              <tr>
                <td colspan={7} class="empty">
                  No failures. Every message went out or is on its way.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}
