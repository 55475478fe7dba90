import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Deps } from '../deps.js';
import { observeHttp } from '../metrics/http-metrics.js';
import type { Runtime } from '../runtime/index.js';
import type { AppEnv } from './env.js';
import { errorBody, respondWithError } from './errors.js';
import { createRouter } from './router.js';
import { metricsRoutes } from './routes/metrics.js';
import { opsRoutes } from './routes/ops.js';
import { drainConnections } from './drain.js';
import { securityHeaders } from './security-headers.js';

/**
 * What a `ROLE=worker` process serves on PORT: liveness, readiness and its own /metrics (jobs,
 * deliveries and SMTP replies are counted where they happen, i.e. in the workers). Nothing shopper- or
 * integration-facing: those belong to the web processes.
 */
export function createWorkerApp(deps: Deps, runtime: Runtime): OpenAPIHono<AppEnv> {
  const app = createRouter();
  app.use(securityHeaders());
  app.use(drainConnections(runtime.lifecycle));
  app.use(observeHttp(runtime.metrics));
  // /readyz answers 503 while draining, as on a web process.
  app.route('/', opsRoutes(deps, runtime.lifecycle));
  app.route('/', metricsRoutes(deps, runtime.metrics));
  app.notFound((c) => c.json(errorBody(c, 'NOT_FOUND', `No route for ${c.req.method} ${c.req.path} on a worker process.`), 404));
  app.onError((err, c) => respondWithError(c, err, deps.log));
  return app;
}
