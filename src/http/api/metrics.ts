import { createHash, timingSafeEqual } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { refreshLedgerGauges } from '../../metrics/ledger-gauges.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { AppEnv } from '../context.js';
import { errorResponses } from '../openapi.js';

const route = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['operations'],
  summary: 'Prometheus metrics (text exposition format)',
  description: 'Bearer `METRICS_TOKEN` when it is set. Ledger gauges are read from the database at scrape time.',
  security: [{ bearer: [] }],
  responses: {
    200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: z.string() } } },
    ...errorResponses([401, 'METRICS_TOKEN is set and was not presented']),
  },
});

const digest = (s: string) => createHash('sha256').update(s).digest();

/** GET /metrics for this app's registry. The token is compared as a digest in constant time. */
export function metricsRoutes(deps: Deps, metrics: Metrics) {
  const app = new OpenAPIHono<AppEnv>();
  const expected = deps.config.metricsToken ? digest(deps.config.metricsToken) : undefined;
  app.openapi(route, async (c) => {
    if (expected) {
      const presented = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (!presented || !timingSafeEqual(digest(presented), expected)) {
        c.header('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new AppError('UNAUTHORIZED', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.');
      }
    }
    await refreshLedgerGauges(metrics, deps);
    return c.text(await metrics.registry.metrics(), 200, {
      'Content-Type': metrics.registry.contentType,
      'Cache-Control': 'no-store',
    });
  });
  return app;
}
