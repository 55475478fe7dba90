import { readFile } from 'node:fs/promises';
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries } from '../../src/db/schema/index.js';
import { createApp } from '../../src/http/app.js';
import { scheduledJobs } from '../../src/jobs/index.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { observeJobs } from '../../src/jobs/observe-jobs.js';
import { createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../helpers/deps.js';
import { jsonPost, uniqueEmail } from '../helpers/signup-fixtures.js';
import { createProduct } from '../helpers/factories.js';

const METRICS_TOKEN = 'metrics-token-0123456789';
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  deps = await createTestDeps({ env: { METRICS_TOKEN, SIGNUP_RATE_LIMIT_PER_IP: '0' } });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

type Scrape = { families: PromFamily[]; text: string };

/** One scrape, parsed with a Prometheus text parser (which throws on any malformed line). */
async function scrape(): Promise<Scrape> {
  const res = await app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { families: parsePrometheusTextFormat(text), text };
}

/**
 * The value of one series (0 when it does not exist yet). Counters and gauges come from the parser;
 * a histogram's `_count` is read from its exposition line, since the parser drops histogram labels.
 */
function value({ families, text }: Scrape, name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  if (!family) throw new Error(`no metric ${name}`);
  const matches = (l: Record<string, string> | undefined) => Object.entries(labels).every(([k, v]) => l?.[k] === v);
  if (family.type === 'HISTOGRAM') {
    for (const line of text.split('\n')) {
      const m = new RegExp(`^${name}_count(?:\\{(.*)\\})? (\\S+)$`).exec(line);
      if (!m) continue;
      const l = Object.fromEntries(
        [...(m[1] ?? '').matchAll(/(\w+)="((?:[^"\\\\]|\\\\.)*)"/g)].map((x) => [x[1], x[2]]),
      );
      if (matches(l)) return Number(m[2]);
    }
    return 0;
  }
  const sample = family.metrics.find((m) => matches(m.labels));
  return sample ? Number(sample.value) : 0;
}

describe('GET /metrics', () => {
  it('answers 401 without the METRICS_TOKEN bearer (and with a wrong one), 200 with it', async () => {
    const none = await app.request('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect((await none.json()) as unknown).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer wrong-token-000000000' } })).status).toBe(
      401,
    );
    await scrape();
  });

  it('is open when METRICS_TOKEN is unset', async () => {
    const open = createApp({ ...deps, config: { ...deps.config, metricsToken: undefined } }, deps.services);
    expect((await open.request('/metrics')).status).toBe(200);
  });

  it('parses as Prometheus text: every family typed and described, names in base units', async () => {
    const scraped = await scrape();
    const byName = new Map(scraped.families.map((f) => [f.name, f]));
    const expected: Record<string, PromFamily['type']> = {
      restock_http_request_duration_seconds: 'HISTOGRAM',
      restock_signups_total: 'COUNTER',
      restock_inventory_updates_total: 'COUNTER',
      restock_restock_events_total: 'COUNTER',
      restock_eta_events_total: 'COUNTER',
      restock_deliveries_total: 'COUNTER',
      restock_webhook_deliveries_total: 'COUNTER',
      restock_smtp_replies_total: 'COUNTER',
      restock_job_runs_total: 'COUNTER',
      restock_job_duration_seconds: 'HISTOGRAM',
      restock_ledger_depth: 'GAUGE',
      restock_ledger_oldest_due_age_seconds: 'GAUGE',
      restock_database_up: 'GAUGE',
    };
    for (const [name, type] of Object.entries(expected)) {
      expect(byName.get(name)?.type, name).toBe(type);
      expect(byName.get(name)?.help, name).not.toBe('');
    }
    expect(value(scraped, 'restock_database_up')).toBe(1);
  });

  it('counts signups by outcome and HTTP requests by route pattern, never by raw path', async () => {
    const { sku } = await createProduct(deps);
    const before = await scrape();
    const email = uniqueEmail('metrics');
    expect((await app.request('/api/v1/signups', jsonPost({ email, sku }))).status).toBe(201);
    expect((await app.request('/api/v1/signups', jsonPost({ email, sku }))).status).toBe(200);
    expect((await app.request('/api/v1/signups', jsonPost({ email: uniqueEmail(), sku: 'NOPE-1' }))).status).toBe(404);
    expect((await app.request('/api/v1/signups', jsonPost({ email: 'broken', sku }))).status).toBe(400);
    expect(
      (await app.request('/api/v1/signups', jsonPost({ email: uniqueEmail(), sku, website: 'http://spam' }))).status,
    ).toBe(201);
    expect((await app.request(`/api/v1/products/${sku}/availability`)).status).toBe(200);
    const after = await scrape();
    const delta = (outcome: string) =>
      value(after, 'restock_signups_total', { outcome }) - value(before, 'restock_signups_total', { outcome });
    expect({
      created: delta('created'),
      existing: delta('existing'),
      unknown_sku: delta('unknown_sku'),
      invalid: delta('invalid'),
      honeypot: delta('honeypot'),
    }).toEqual({ created: 1, existing: 1, unknown_sku: 1, invalid: 1, honeypot: 1 });
    const route = '/api/v1/products/:sku/availability';
    expect(value(after, 'restock_http_request_duration_seconds', { method: 'GET', route, status: '200' })).toBe(1);
    expect(after.text.split('\n').filter((l) => l.includes(sku))).toEqual([]);
  });

  it('counts inventory updates by source and result, and restock events with the job run that found them', async () => {
    const { sku } = await createProduct(deps);
    const before = await scrape();
    const put = await app.request(`/api/v1/inventory/${sku}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 7, reason: 'restock' }),
    });
    expect(put.status).toBe(200);
    deps.clock.advance((deps.config.restock.settleSeconds + 1) * 1000);
    const scan = observeJobs(scheduledJobs(deps.config), deps.services.metrics).find((j) => j.name === 'restock-scan')!;
    expect(await scan.run(deps, deps.services, new AbortController().signal)).toMatchObject({ restocks: 1 });
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      value(after, name, labels) - value(before, name, labels);
    expect(delta('restock_inventory_updates_total', { source: 'api', result: 'applied' })).toBe(1);
    expect(delta('restock_restock_events_total')).toBe(1);
    expect(delta('restock_job_runs_total', { job: 'restock-scan', outcome: 'ok' })).toBe(1);
    expect(delta('restock_job_duration_seconds', { job: 'restock-scan' })).toBe(1);
  });

  it('counts deliveries by kind and state once the ledger recorded them', async () => {
    const { sku } = await createProduct(deps);
    await deps.services.idle(); // earlier tests' confirmations are sent and counted first
    const before = await scrape();
    expect((await app.request('/api/v1/signups', jsonPost({ email: uniqueEmail('delivery'), sku }))).status).toBe(201);
    await deps.services.idle();
    const after = await scrape();
    const labels = { kind: 'confirmation', state: 'sent' };
    expect(value(after, 'restock_deliveries_total', labels) - value(before, 'restock_deliveries_total', labels)).toBe(
      1,
    );
  });

  it('reads ledger depth and the oldest due age from the database at scrape time', async () => {
    const now = deps.clock.now();
    const at = (s: number) => new Date(now.getTime() - s * 1000);
    const row = (n: number, status: 'queued' | 'retry', ageSeconds: number) => ({
      dedupeKey: `metrics-test:${n}:${now.getTime()}`,
      recipient: `m${n}@example.com`,
      recipientNormalized: `m${n}@example.com`,
      templateKey: 'back-in-stock',
      kind: 'back-in-stock',
      status,
      priority: 1,
      nextAttemptAt: at(ageSeconds),
      createdAt: at(ageSeconds),
      updatedAt: at(ageSeconds),
    });
    const before = await scrape();
    await deps.db.insert(deliveries).values([row(1, 'queued', 90), row(2, 'queued', 30), row(3, 'retry', -600)]);
    const after = await scrape();
    const depth = (state: string) =>
      value(after, 'restock_ledger_depth', { state, priority: '1' }) -
      value(before, 'restock_ledger_depth', { state, priority: '1' });
    expect({ queued: depth('queued'), retry: depth('retry') }).toEqual({ queued: 2, retry: 1 });
    // The retry row is not due for 10 minutes: the most overdue row is the 90-second one.
    expect(value(after, 'restock_ledger_oldest_due_age_seconds', { priority: '1' })).toBe(90);
  });

  it('the sample Grafana dashboard queries only metrics the service exposes', async () => {
    const dashboard = await readFile('docs/grafana-dashboard.json', 'utf8');
    const used = new Set(
      [...dashboard.matchAll(/restock_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')),
    );
    const exposed = new Set(
      (await createMetrics({ processMetrics: true }).registry.getMetricsAsJSON()).map((m) => m.name),
    );
    expect([...used].filter((name) => name !== 'restock_notifier' && !exposed.has(name))).toEqual([]);
  });
});
