import type { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import type { ResultsReport } from '../../../domain/reports/results-report.js';
import { apiFor, type ConsoleEnv, type ConsoleOptions } from '../console-context.js';
import { consolePage } from '../layout.js';
import { DAY, ResultsView } from '../results-page.js';

/**
 * /admin/results: what the notifications brought in — recovered revenue first, then orders, clicks
 * and conversion; a chart per day and per wave; per SKU (each linking to its waves), per wave (with
 * the one-line reason for its size under NOTIFY_PER_UNIT=auto) and per template version.
 */
export function resultsPage(app: Hono<ConsoleEnv>, deps: Deps, options: ConsoleOptions): void {
  app.get('/admin/results', async (c) => {
    const user = c.get('consoleUser');
    const q = new URLSearchParams();
    for (const k of ['from', 'to'] as const) if (DAY.test(c.req.query(k) ?? '')) q.set(k, c.req.query(k)!);
    const sku = c.req.query('sku')?.trim();
    if (sku) q.set('sku', sku);
    const answer = await apiFor(c, options, deps, user).get<ResultsReport>(`/api/v1/admin/reports/results?${q}`);
    const r = answer.ok ? answer.data : undefined;
    const t = r?.totals;
    const csv = `/api/v1/admin/reports/results?${new URLSearchParams([...q, ['format', 'csv']])}`;
    return consolePage(c, {
      title: 'Results',
      section: 'results',
      user,
      options,
      children: ResultsView({ sku, answer, r, t, csv }),
    });
  });
}
