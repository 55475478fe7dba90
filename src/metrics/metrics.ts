import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a signup request ended (HTTP status → outcome, or the route's own word for it). */
export type SignupOutcome =
  | 'created'
  | 'existing'
  | 'honeypot'
  | 'invalid'
  | 'unknown_sku'
  | 'in_stock'
  | 'rate_limited'
  | 'error';
/** SMTP reply classes: 2xx accepted, 4xx transient, 5xx permanent, network = no reply at all. */
export type SmtpReplyClass = '2xx' | '4xx' | '5xx' | 'network';

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const jobBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

/**
 * One Prometheus registry and its instruments, per app instance (never prom-client's global
 * registry: two apps in one process, as in tests, must not share counters). Names follow the
 * Prometheus conventions: `_total` counters, `_seconds` durations, base units, bounded labels
 * (route patterns, never raw paths).
 */
export function createMetrics(options: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  const registers = [registry];
  // Process metrics (CPU, RSS, heap, event-loop lag, GC) start timers and observers: on in the
  // service, off for the many short-lived apps tests build.
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'restock_' });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'restock_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status, with their duration (count = requests)',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: durationBuckets,
      registers,
    }),
    signups: new Counter({
      name: 'restock_signups_total',
      help: 'Signup requests by outcome (created, existing, honeypot, invalid, unknown_sku, in_stock, rate_limited, error)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    inventoryUpdates: new Counter({
      name: 'restock_inventory_updates_total',
      help: 'Inventory rows received by source (api, bulk, shopify, woocommerce, feed) and result (applied, unchanged, stale, rejected)',
      labelNames: ['source', 'result'] as const,
      registers,
    }),
    restockEvents: new Counter({
      name: 'restock_restock_events_total',
      help: 'Restock events detected (stock crossed the threshold and held)',
      registers,
    }),
    etaEvents: new Counter({
      name: 'restock_eta_events_total',
      help: 'ETA revisions detected on unavailable SKUs',
      registers,
    }),
    deliveries: new Counter({
      name: 'restock_deliveries_total',
      help: 'Delivery attempts recorded on the ledger, by kind (template key or webhook) and resulting state (sent, retry, failed, skipped)',
      labelNames: ['kind', 'state'] as const,
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'restock_webhook_deliveries_total',
      help: 'Outbound webhook attempts recorded, by delivery kind and outcome (sent = 2xx, retry, failed, skipped)',
      labelNames: ['type', 'outcome'] as const,
      registers,
    }),
    smtpReplies: new Counter({
      name: 'restock_smtp_replies_total',
      help: 'SMTP transactions by reply class (2xx, 4xx, 5xx, network = no reply)',
      labelNames: ['class'] as const,
      registers,
    }),
    jobRuns: new Counter({
      name: 'restock_job_runs_total',
      help: 'Scheduled job runs by job and outcome (ok, skipped, failed)',
      labelNames: ['job', 'outcome'] as const,
      registers,
    }),
    jobDuration: new Histogram({
      name: 'restock_job_duration_seconds',
      help: 'Duration of job runs by job',
      labelNames: ['job'] as const,
      buckets: jobBuckets,
      registers,
    }),
    ledgerDepth: new Gauge({
      name: 'restock_ledger_depth',
      help: 'Deliveries waiting on the ledger at scrape time, by state (queued, retry, sending) and priority (0 transactional, 1 bulk)',
      labelNames: ['state', 'priority'] as const,
      registers,
    }),
    ledgerOldestDueAge: new Gauge({
      name: 'restock_ledger_oldest_due_age_seconds',
      help: 'Age of the most overdue queued/retry delivery at scrape time (0 when nothing is due)',
      labelNames: ['priority'] as const,
      registers,
    }),
    databaseUp: new Gauge({
      name: 'restock_database_up',
      help: '1 when the scrape-time ledger queries succeeded, else 0',
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The reply class of a nodemailer error or success (a reply code, or none: network). */
export function smtpReplyClass(responseCode: number | undefined): SmtpReplyClass {
  if (responseCode === undefined || responseCode < 200 || responseCode >= 600) return 'network';
  if (responseCode < 300) return '2xx';
  return responseCode < 500 ? '4xx' : '5xx';
}
