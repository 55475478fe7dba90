import type { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import { BacklogUnavailableView, BacklogView, type Report, route, statuses } from '../backlog-page.js';
import { apiFor, type ConsoleEnv, type ConsoleOptions } from '../console-context.js';
import { consolePage } from '../layout.js';

/**
 * The backlog report (added by the backorders feature): per SKU, what is owed to customers and what
 * needs attention (overdue, waiting for an answer, to cancel, unreachable), oldest order first as the
 * report sorts it; the report's own filters; a CSV export of the same selection. Until that route
 * exists the page says so instead of failing.
 */
export function backlogPage(app: Hono<ConsoleEnv>, deps: Deps, options: ConsoleOptions): void {
  app.get('/admin/backlog', async (c) => {
    const user = c.get('consoleUser');
    const base = { title: 'Backlog', section: 'backlog' as const, user, options };
    if (!options.hasRoute('GET', route)) {
      return consolePage(c, {
        ...base,
        children: BacklogUnavailableView(),
      });
    }
    const sku = (c.req.query('sku') ?? '').trim();
    const status = statuses.includes(c.req.query('status') ?? '') ? (c.req.query('status') ?? '') : '';
    const overdue = c.req.query('overdue') === 'true';
    const qs = new URLSearchParams({
      ...(sku ? { sku } : {}),
      ...(status ? { status } : {}),
      ...(overdue ? { overdue: 'true' } : {}),
    }).toString();
    const answer = await apiFor(c, options, deps, user).get<Report>(`${route}${qs ? `?${qs}` : ''}`);
    const rows = answer.ok ? answer.data.skus : [];
    const s = answer.ok ? answer.data.summary : undefined;
    return consolePage(c, {
      ...base,
      children: BacklogView({ sku, status, overdue, qs, answer, rows, s }),
    });
  });
}
