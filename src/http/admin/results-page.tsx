import type { ResultsReport, Revenue } from '../../domain/reports/results-report.js';
import type { ApiResult } from './console-context.js';
import { ApiProblem, HeadRow, PageHead, when } from './layout.js';
import { BarChart } from './results-chart.js';

const money = (r: Revenue[]) => (r.length ? r.map((x) => `${x.currency} ${x.amount}`).join(' · ') : '—');
const pct = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1).replace(/\.0$/, '')}%`);
export const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** "W2", or with several SKUs on the chart "Linen W2" (the product's first word). */
const waveLabel = (w: { waveNo: number; name: string }, many: boolean) =>
  many ? `${w.name.split(/[\s,]+/)[0]} W${w.waveNo}` : `W${w.waveNo}`;

/** The results page's body (its route: routes/results.ts). */
export function ResultsView(props: {
  sku: string | undefined;
  answer: ApiResult<ResultsReport>;
  r: ResultsReport | undefined;
  t: ResultsReport['totals'] | undefined;
  csv: string;
}) {
  const { sku, answer, r, t, csv } = props;
  return (
    <>
      <PageHead
        title="Results"
        lead={
          r ? (
            <>
              What back-in-stock and new-date emails sent {r.from} – {r.to}
              {r.sku ? (
                <>
                  {' '}
                  for <span class="mono">{r.sku}</span>
                </>
              ) : null}{' '}
              brought in.
            </>
          ) : (
            'What the notifications brought in.'
          )
        }
        actions={
          <a class="button secondary" href={csv} download="results.csv">
            Export CSV
          </a>
        }
      />
      {answer.ok ? null : <ApiProblem status={answer.status} message={answer.message} />}
      <form method="get" action="/admin/results" class="inline card" style="padding:12px 16px">
        <div>
          <label for="r-from">From</label>
          <input id="r-from" type="date" name="from" value={r?.from ?? ''} />
        </div>
        <div>
          <label for="r-to">To</label>
          <input id="r-to" type="date" name="to" value={r?.to ?? ''} />
        </div>
        <div class="grow">
          <label for="r-sku">SKU</label>
          <input id="r-sku" name="sku" value={sku ?? ''} placeholder="all SKUs" />
        </div>
        <button type="submit" class="secondary">
          Show
        </button>
        {sku ? <a href="/admin/results">All SKUs</a> : null}
      </form>
      {t ? (
        <div class="stats">
          <div class="stat stat-hero">
            <span class="muted small">Recovered revenue</span>
            {t.revenue.length ? (
              t.revenue.map((x) => (
                <>
                  <b>
                    {x.currency} {x.amount}
                  </b>{' '}
                </>
              ))
            ) : (
              <b>—</b>
            )}
          </div>
          <div class="stat">
            <span class="muted small">Orders</span>
            <b>{t.orders}</b>
            <span class="small muted">{t.units} units</span>
          </div>
          <div class="stat">
            <span class="muted small">Notified</span>
            <b>{t.notified}</b>
          </div>
          <div class="stat">
            <span class="muted small">Clicked</span>
            <b>{t.clicked}</b>
            <span class="small muted">{pct(t.notified ? t.clicked / t.notified : null)} of notified</span>
          </div>
          <div class="stat">
            <span class="muted small">Conversion</span>
            <b>{pct(t.conversionRate)}</b>
            <span class="small muted">orders ÷ notified</span>
          </div>
        </div>
      ) : null}
      {r ? (
        <div class="chart-pair">
          <section class="card" aria-labelledby="by-day">
            <h2 id="by-day">Per day</h2>
            {r.days.length ? (
              <BarChart
                label={`Emails and orders per day: ${r.days.map((d) => `${d.date} ${d.notified} notified, ${d.orders} orders`).join('; ')}`}
                caption="Emails by the day sent, orders by the day placed."
                legend={['notified', 'orders']}
                bars={r.days.map((d) => ({
                  label: d.date.slice(5),
                  value: d.notified,
                  inner: d.orders,
                  title: `${d.date}: ${d.notified} notified, ${d.orders} orders, ${money(d.revenue)}`,
                }))}
              />
            ) : (
              <p class="empty">No notifications sent in this period.</p>
            )}
          </section>
          <section class="card" aria-labelledby="by-wave">
            <h2 id="by-wave">Per wave</h2>
            {r.waves.length ? (
              <BarChart
                label={`Orders per wave: ${r.waves.map((w) => `${w.sku} wave ${w.waveNo}: ${w.notified} notified, ${w.orders} orders`).join('; ')}`}
                caption="People notified in each restock wave, and the orders they placed."
                legend={['notified', 'orders']}
                bars={r.waves.map((w) => ({
                  label: waveLabel(w, r.skus.length > 1),
                  value: w.notified,
                  inner: w.orders,
                  title: `${w.sku} wave ${w.waveNo}: ${w.notified} notified, ${w.orders} orders`,
                }))}
              />
            ) : (
              <p class="empty">No restock waves in this period.</p>
            )}
          </section>
        </div>
      ) : null}
      <h2>Per SKU</h2>
      <div class="table-wrap" style="margin-bottom:20px">
        <table>
          <thead>
            <HeadRow
              cols={[
                'SKU',
                'Product',
                { num: 'Notified' },
                { num: 'Clicked' },
                { num: 'Orders' },
                { num: 'Units' },
                'Revenue',
                { num: 'Conversion' },
              ]}
            />
          </thead>
          <tbody>
            {(r?.skus ?? []).map((s) => (
              <tr>
                <td class="mono">
                  <a
                    href={`/admin/results?${new URLSearchParams({ ...(r?.from ? { from: r.from, to: r.to } : {}), sku: s.sku })}#waves`}
                    title="This SKU's waves"
                  >
                    {s.sku}
                  </a>
                </td>
                <td>{s.name}</td>
                <td class="num">{s.notified}</td>
                <td class="num">{s.clicked}</td>
                <td class="num">
                  <strong>{s.orders}</strong>
                </td>
                <td class="num">{s.units}</td>
                <td>{money(s.revenue)}</td>
                <td class="num">{pct(s.conversionRate)}</td>
              </tr>
            ))}
            {r && r.skus.length === 0 ? (
              <tr>
                <td colspan={8} class="empty">
                  No notifications sent in this period.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <h2 id="waves">Waves</h2>
      <div class="table-wrap" style="margin-bottom:20px">
        <table>
          <thead>
            <HeadRow
              cols={[
                'SKU',
                'Wave',
                'Started',
                { num: 'Notified' },
                { num: 'Clicked' },
                { num: 'Orders' },
                'Revenue',
                { num: 'Conversion' },
              ]}
            />
          </thead>
          <tbody>
            {(r?.waves ?? []).map((w) => (
              <>
                <tr>
                  <td class="mono">{w.sku}</td>
                  <td class="nowrap">
                    Wave {w.waveNo}
                    <br />
                    <span class="small muted">restock {w.restockEventId}</span>
                  </td>
                  <td class="small nowrap">{when(w.startedAt)}</td>
                  <td class="num">{w.notified}</td>
                  <td class="num">{w.clicked}</td>
                  <td class="num">
                    <strong>{w.orders}</strong>
                  </td>
                  <td>{money(w.revenue)}</td>
                  <td class="num">{pct(w.conversionRate)}</td>
                </tr>
                <tr class="why">
                  <td colspan={8} class="small muted">
                    <div>
                      {w.explanation ??
                        (w.maxRecipients === null
                          ? 'Everyone waiting (NOTIFY_PER_UNIT=0).'
                          : `Up to ${w.maxRecipients} people: the fixed ratio per unit in stock.`)}
                    </div>
                  </td>
                </tr>
              </>
            ))}
            {r && r.waves.length === 0 ? (
              <tr>
                <td colspan={8} class="empty">
                  No restock waves in this period.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <h2>Per template version</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <HeadRow
              cols={[
                'Email',
                'Language',
                { num: 'Version' },
                { num: 'Notified' },
                { num: 'Clicked' },
                { num: 'Orders' },
                'Revenue',
                { num: 'Conversion' },
              ]}
            />
          </thead>
          <tbody>
            {(r?.templates ?? []).map((x) => (
              <tr>
                <td>{x.templateKey}</td>
                <td>{x.locale}</td>
                <td class="num">{x.version ?? '—'}</td>
                <td class="num">{x.notified}</td>
                <td class="num">{x.clicked}</td>
                <td class="num">
                  <strong>{x.orders}</strong>
                </td>
                <td>{money(x.revenue)}</td>
                <td class="num">{pct(x.conversionRate)}</td>
              </tr>
            ))}
            {r && r.templates.length === 0 ? (
              <tr>
                <td colspan={8} class="empty">
                  No notifications sent in this period.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}
