import type { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import { apiFor, listOf, type ConsoleEnv, type ConsoleOptions } from './console-context.js';
import { ApiProblem, consolePage, PageHead, when } from './layout.js';

const route = '/api/v1/admin/reports/backlog';
const label = (k: string) => k.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v);
const show = (v: unknown): string =>
  v === null || v === undefined
    ? '—'
    : isDate(v)
      ? when(v as string)
      : typeof v === 'object'
        ? Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k} ${show(x)}`).join(', ')
        : typeof v === 'number' && !Number.isInteger(v)
          ? v.toFixed(1)
          : String(v);

/**
 * The backlog report (added by the backorders feature): its rows as a sortable, searchable table
 * with the report's own filters passed through, and a CSV link. Until that route exists the page
 * says so instead of failing. Columns follow the report's fields, so the page needs no change when
 * the report gains one.
 */
export function backlogPage(app: Hono<ConsoleEnv>, deps: Deps, options: ConsoleOptions): void {
  app.get('/admin/backlog', async (c) => {
    const user = c.get('consoleUser');
    const base = { title: 'Backlog', section: 'backlog' as const, user, options };
    if (!options.hasRoute('GET', route)) {
      return consolePage(c, {
        ...base,
        children: (
          <>
            <PageHead title="Backlog" />
            <div class="card empty">
              <p><strong>The backlog report is not available on this installation yet.</strong></p>
              <p>It appears here once order lines on backorder are recorded (the backorders feature).</p>
            </div>
          </>
        ),
      });
    }
    const sku = c.req.query('sku') ?? '';
    const status = c.req.query('status') ?? '';
    const overdue = c.req.query('overdue') === 'true';
    const qs = new URLSearchParams({ ...(sku ? { sku } : {}), ...(status ? { status } : {}), ...(overdue ? { overdue: 'true' } : {}) }).toString();
    const answer = await apiFor(c, options, deps, user).get<Record<string, unknown>>(`${route}${qs ? `?${qs}` : ''}`);
    const rows = answer.ok ? listOf<Record<string, unknown>>(answer.data, 'skus').concat(listOf(answer.data, 'rows')) : [];
    const summary = answer.ok && answer.data.summary && typeof answer.data.summary === 'object' ? (answer.data.summary as Record<string, unknown>) : {};
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return consolePage(c, {
      ...base,
      children: (
        <>
          <PageHead
            title="Backlog"
            lead="Order lines not shipped yet, per SKU, oldest first."
            actions={<a class="button secondary" href={`${route}${qs ? `?${qs}` : ''}`} data-accept="text/csv" download="backlog.csv">Export CSV</a>}
          />
          {answer.ok ? null : <ApiProblem status={answer.status} message={answer.message} />}
          {Object.keys(summary).length ? (
            <div class="stats">{Object.entries(summary).map(([k, v]) => <div class="stat"><span class="muted small">{label(k)}</span><b>{show(v)}</b></div>)}</div>
          ) : null}
          <form method="get" action="/admin/backlog" class="card inline">
            <div class="grow"><label for="f-sku">SKU</label><input id="f-sku" name="sku" type="text" value={sku} /></div>
            <div>
              <label for="f-status">Status</label>
              <select id="f-status" name="status">
                {['', 'open', 'allocated', 'cancel_due', 'fulfilled', 'cancelled'].map((s) => <option value={s} selected={s === status}>{s || 'Any'}</option>)}
              </select>
            </div>
            <div><label for="f-overdue"><input id="f-overdue" name="overdue" type="checkbox" value="true" checked={overdue} /> Overdue only</label></div>
            <button type="submit" class="secondary">Filter</button>
          </form>
          <div class="table-wrap">
            <table data-sortable>
              <thead><tr>{columns.map((k) => <th scope="col">{label(k)}</th>)}</tr></thead>
              <tbody>
                {rows.map((r) => <tr>{columns.map((k) => <td data-value={typeof r[k] === 'number' ? String(r[k]) : undefined}>{show(r[k])}</td>)}</tr>)}
                {rows.length === 0 && answer.ok ? <tr><td colspan={Math.max(1, columns.length)} class="empty">No backlog. Every order has shipped.</td></tr> : null}
              </tbody>
            </table>
          </div>
        </>
      ),
    });
  });
}
