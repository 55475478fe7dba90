import type { BacklogReport } from '../../domain/backorders/backlog-report.js';
import type { ApiResult } from './console-context.js';
import { ApiProblem, HeadRow, PageHead } from './layout.js';

/** The report as the JSON route answers it (the domain's type: dates are strings already). */
export type Report = BacklogReport;

export const route = '/api/v1/admin/reports/backlog';

const day = (v: string | null) => (v ? v.slice(0, 10) : '—');
export const statuses = ['', 'open', 'allocated', 'cancel_due', 'fulfilled', 'cancelled'];
const statusLabel: Record<string, string> = {
  '': 'Backlog (open, allocated, to cancel)',
  open: 'Open',
  allocated: 'Allocated',
  cancel_due: 'To cancel',
  fulfilled: 'Fulfilled',
  cancelled: 'Cancelled',
};

/** A count that needs someone's attention stands out; zero stays quiet. */
const Attention = (props: { n: number; tone: 'error' | 'warning' }) =>
  props.n > 0 ? <span class={`badge ${props.tone}`}>{props.n}</span> : <span class="muted">0</span>;

/** The backlog page before the backorders feature's report route exists. */
export function BacklogUnavailableView() {
  return (
    <>
      <PageHead title="Backlog" />
      <div class="card empty">
        <p>
          <strong>The backlog report is not available on this installation yet.</strong>
        </p>
        <p>It appears here once order lines on backorder are recorded (the backorders feature).</p>
      </div>
    </>
  );
}

/** The backlog page's body (its route: routes/backlog.ts). */
export function BacklogView(props: {
  sku: string;
  status: string;
  overdue: boolean;
  qs: string;
  answer: ApiResult<Report>;
  rows: Report['skus'];
  s: Report['summary'] | undefined;
}) {
  const { sku, status, overdue, qs, answer, rows, s } = props;
  return (
    <>
      <PageHead
        title="Backlog"
        lead="Order lines sold but not shipped yet, per SKU, oldest order first."
        actions={
          <a
            class="button secondary"
            href={`${route}${qs ? `?${qs}` : ''}`}
            data-accept="text/csv"
            download="backlog.csv"
          >
            Export CSV
          </a>
        }
      />
      {answer.ok ? null : <ApiProblem status={answer.status} message={answer.message} />}
      {s ? (
        <div class="stats">
          <div class="stat">
            <span class="muted small">Order lines</span>
            <b>{s.lines}</b>
          </div>
          <div class="stat">
            <span class="muted small">Units owed</span>
            <b>{s.units}</b>
          </div>
          <div class="stat">
            <span class="muted small">Overdue lines</span>
            <b>{s.overdueLines}</b>
          </div>
          <div class="stat">
            <span class="muted small">Average age</span>
            <b>{s.averageAgeDays === null ? '—' : `${s.averageAgeDays.toFixed(1)} days`}</b>
          </div>
          <div class="stat">
            <span class="muted small">Delay answers: wait / cancel / silent</span>
            <b>
              {s.answers.waited} / {s.answers.cancelled} / {s.answers.silent}
            </b>
          </div>
        </div>
      ) : null}
      <form method="get" action="/admin/backlog" class="card inline" role="search">
        <div class="grow">
          <label for="f-sku">SKU</label>
          <input id="f-sku" name="sku" type="text" value={sku} autocomplete="off" />
        </div>
        <div class="grow">
          <label for="f-status">Status</label>
          <select id="f-status" name="status">
            {statuses.map((v) => (
              <option value={v} selected={v === status}>
                {statusLabel[v]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-overdue">
            <input id="f-overdue" name="overdue" type="checkbox" value="true" checked={overdue} /> Overdue only
          </label>
        </div>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <div class="table-wrap">
        <table id="backlog-table" class="stack" data-sortable>
          <caption class="sr-only">Backlog per SKU</caption>
          <thead>
            <HeadRow
              cols={[
                'Product',
                { num: 'Lines' },
                { num: 'Units' },
                { num: 'Allocated' },
                { num: 'Overdue' },
                { num: 'Awaiting answer' },
                { num: 'To cancel' },
                'Oldest order',
                'Promised',
                'ETA',
                { num: 'On hand' },
              ]}
            />
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-sku={r.sku}>
                <td data-value={r.name}>
                  <strong>{r.name}</strong>
                  <br />
                  <span class="mono small muted">{r.sku}</span>
                  {r.unreachableLines > 0 ? (
                    <>
                      <br />
                      <span class="badge error">{r.unreachableLines} unreachable</span>
                    </>
                  ) : null}
                </td>
                <td class="num" data-label="Lines" data-value={r.openLines}>
                  {r.openLines}
                </td>
                <td class="num" data-label="Units" data-value={r.openUnits}>
                  {r.openUnits}
                </td>
                <td class="num" data-label="Allocated" data-value={r.allocatedLines}>
                  {r.allocatedLines}
                </td>
                <td class="num" data-label="Overdue" data-value={r.overdueLines}>
                  <Attention n={r.overdueLines} tone="error" />
                </td>
                <td class="num" data-label="Awaiting answer" data-value={r.awaitingAnswer}>
                  <Attention n={r.awaitingAnswer} tone="warning" />
                </td>
                <td class="num" data-label="To cancel" data-value={r.cancelDueLines}>
                  <Attention n={r.cancelDueLines} tone="error" />
                </td>
                <td class="mono small" data-label="Oldest order" data-value={r.oldestOrderDate ?? ''}>
                  {day(r.oldestOrderDate)}
                </td>
                <td class="mono small" data-label="Promised" data-value={r.earliestPromisedDate ?? ''}>
                  {r.earliestPromisedDate === r.latestPromisedDate
                    ? day(r.earliestPromisedDate)
                    : `${day(r.earliestPromisedDate)} – ${day(r.latestPromisedDate)}`}
                </td>
                <td class="small" data-label="ETA" data-value={r.eta ?? ''}>
                  <span class="mono">{day(r.eta)}</span>
                  {r.etaReason ? <span class="muted"> ({r.etaReason})</span> : null}
                </td>
                <td class="num" data-label="On hand" data-value={r.unitsOnHand}>
                  {r.unitsOnHand}
                </td>
              </tr>
            ))}
            {rows.length === 0 && answer.ok ? (
              <tr>
                <td colspan={11} class="empty">
                  {qs ? 'No order lines match these filters.' : 'No backlog: every order line has shipped.'}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}
