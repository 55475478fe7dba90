import { requestId } from 'hono/request-id';
import type { Deps } from '../deps.js';
import type { Metrics } from '../metrics/metrics.js';
import { errorBody, respondWithError } from './errors.js';
import { createRouter } from './router.js';
import { metricsRoutes } from './api/metrics.js';

/**
 * The HTTP app of a `ROLE=worker` process: GET /metrics and nothing else. Workers count the jobs,
 * deliveries and SMTP replies, so their registry must be scrapeable too, but they serve no API or
 * pages (several workers on one host each get their own METRICS_PORT).
 */
export function createMetricsApp(deps: Deps, metrics: Metrics) {
  const app = createRouter();
  app.use(requestId({ generator: () => crypto.randomUUID(), limitLength: 128 }));
  app.route('/', metricsRoutes(deps, metrics));
  app.notFound((c) => c.json(errorBody(c, 'NOT_FOUND', `Only GET /metrics is served on this port.`), 404));
  app.onError((err, c) => respondWithError(c, err, deps.log));
  return app;
}
