import type { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import { apiFor, listOf, type ConsoleEnv, type ConsoleOptions } from '../console-context.js';
import { consolePage } from '../layout.js';
import { type DeliveryEvent, DeliveriesView, type DemandRow, DemandView, type Failure, num } from '../report-pages.js';
import { backlogPage } from './backlog.js';

/** Demand (waitlists per SKU + daily chart), Deliveries (progress per event + failures), Backlog. */
export function reportPages(app: Hono<ConsoleEnv>, deps: Deps, options: ConsoleOptions): void {
  app.get('/admin/demand', async (c) => {
    const user = c.get('consoleUser');
    const client = apiFor(c, options, deps, user);
    const answer = await client.get<unknown>('/api/v1/admin/reports/demand?limit=1000&sort=active&order=desc');
    const rows = answer.ok ? listOf<DemandRow>(answer.data, 'rows') : [];
    // Tiles from the report's totals (every matching SKU): each equals the sum of its table column.
    const totals = answer.ok
      ? (answer.data as { totals?: Partial<Record<'skus' | 'active' | 'pending' | 'notified' | 'new7d', number>> })
          .totals
      : undefined;
    const sum = (k: 'active' | 'pending' | 'notified' | 'new7d') =>
      totals?.[k] ?? rows.reduce((t, r) => t + num(r[k]), 0);
    const skuCount = totals?.skus ?? rows.length;
    const sku = c.req.query('sku') || rows[0]?.sku;
    const daily = sku
      ? await client.get<unknown>(`/api/v1/admin/reports/demand/${encodeURIComponent(sku)}/daily`)
      : undefined;
    const days = daily?.ok ? listOf<{ date: string; signups: number }>(daily.data, 'days') : [];
    return consolePage(c, {
      title: 'Demand',
      section: 'demand',
      user,
      options,
      children: DemandView({ answer, rows, sum, skuCount, sku, days }),
    });
  });

  app.get('/admin/deliveries', async (c) => {
    const user = c.get('consoleUser');
    const answer = await apiFor(c, options, deps, user).get<{ summary?: Record<string, number> }>(
      '/api/v1/admin/reports/deliveries',
    );
    // The API's summary is the sum of the events it lists: the tiles add up to the table below them.
    const summary = answer.ok ? answer.data.summary : undefined;
    const events = answer.ok ? listOf<DeliveryEvent>(answer.data, 'events') : [];
    const failures = answer.ok ? listOf<Failure>(answer.data, 'failures') : [];
    const parts = ['sent', 'sending', 'queued', 'retry', 'failed', 'skipped'] as const;
    return consolePage(c, {
      title: 'Deliveries',
      section: 'deliveries',
      user,
      options,
      children: DeliveriesView({ answer, summary, events, failures, parts }),
    });
  });

  backlogPage(app, deps, options);
}
