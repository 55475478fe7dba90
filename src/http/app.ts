import type { OpenAPIHono } from '@hono/zod-openapi';
import { fileURLToPath } from 'node:url';
import type { Deps } from '../deps.js';
import { observeSignups } from '../metrics/http-metrics.js';
import type { Services } from '../jobs/services.js';
import { limitBody } from './body-limit.js';
import { corsPaths, shopperCors } from './cors.js';
import type { AppEnv } from './context.js';
import { errorBody, respondWithError } from './errors.js';
import { pageContext } from './pages/context.js';
import { requestScope } from './request-scope.js';
import { loadPageCatalogue, type PageCatalogue } from './pages/messages.js';
import { createPageSettings } from './pages/page-settings.js';
import { documentRequestErrors } from './openapi.js';
import { createRouter } from './router.js';
import { confirmRoutes } from './pages/routes/confirm.js';
import { adminJobRoutes } from './api/admin/jobs.js';
import { availabilityRoutes } from './api/availability.js';
import { backorderRoutes } from './api/backorders.js';
import { backlogReportRoutes } from './api/admin/backlog-report.js';
import { backorderHooks } from '../domain/backorders/hooks.js';
import { inventoryRoutes } from './api/inventory.js';
import { metricsRoutes } from './api/metrics.js';
import { opsRoutes } from './api/ops.js';
import { orderWebhookRoutes } from './api/order-webhooks.js';
import { orderPageRoutes } from './pages/routes/order-pages.js';
import { webhookRoutes } from './api/webhooks.js';
import { pageRoutes } from './pages/routes/page-assets.js';
import { brandLogoRoutes } from './pages/routes/brand-logo.js';
import { signupFormRoutes } from './api/signup-form.js';
import { signupPageRoutes } from './pages/routes/signup-page.js';
import { createSignupLimits } from './api/signup-shared.js';
import { signupRoutes } from './api/signups.js';
import { stillInterestedRoutes } from './pages/routes/still-interested.js';
import { unsubscribeRoutes } from './pages/routes/unsubscribe.js';
import { trackedLinkRoutes } from './pages/routes/tracked-link.js';
import { orderRoutes } from './api/orders.js';
import { widgetRoutes } from './widget/widget-routes.js';
import { adminAccess, SESSION_COOKIE } from './admin-access.js';
import { adminAuthRoutes } from './admin/auth-routes.js';
import { adminApiRoutes } from './api/admin/index.js';
import { createConsoleAssets } from './admin/assets.js';
import { consoleRoutes } from './admin/console-routes.js';
import { requireConsoleSession } from './admin/console-guard.js';

/** Where the hosted pages' message catalogue lives (one `<locale>.json` per language). */
export const PAGES_DIR = fileURLToPath(new URL('../../templates/pages', import.meta.url));

/**
 * Builds the whole HTTP app from deps and the services main.ts built (src/services.ts). Tests call `app.request()` on it without opening a port.
 * The pages' catalogue is read here, once per app (start-up), never per request.
 */
export function createApp(
  deps: Deps,
  services: Services,
  pages: PageCatalogue = loadPageCatalogue(PAGES_DIR),
): OpenAPIHono<AppEnv> {
  const app = createRouter();
  const { log } = deps;
  const { metrics } = services;

  app.use(requestScope({ log, metrics, lifecycle: services.lifecycle }));
  app.use('/api/v1/signups', observeSignups(metrics));
  app.use(
    limitBody(deps.config.bodyLimitBytes, (c) =>
      c.json(
        errorBody(c, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${deps.config.bodyLimitBytes} bytes.`),
        413,
      ),
    ),
  );

  const pageSettings = createPageSettings(deps, pages);
  app.use(pageContext(pageSettings));
  for (const path of corsPaths) app.use(path, shopperCors(deps.config));

  const signupLimits = createSignupLimits(deps);
  app.route('/', pageRoutes(deps));
  app.route('/', brandLogoRoutes(deps));
  // Before every admin route: who may call what is decided in admin-access.ts, in one table.
  app.use('/api/v1/admin/*', adminAccess(deps));
  app.route('/', opsRoutes(deps, services.lifecycle));
  app.route('/', inventoryRoutes(deps));
  app.route('/', webhookRoutes(deps));
  const hooks = backorderHooks(deps, services.outbox.backorders);
  app.route('/', backorderRoutes(deps, hooks));
  app.route('/', orderWebhookRoutes(deps, hooks.onCreated));
  app.route('/', orderRoutes(deps));
  app.route('/', backlogReportRoutes(deps));
  app.route('/', orderPageRoutes(deps, hooks.onAnswer));
  app.route('/', availabilityRoutes(deps));
  app.route('/', adminJobRoutes(deps, services));
  // Same path, two handlers: the form route answers form posts and passes everything else on.
  app.route('/', signupFormRoutes(deps, services, signupLimits));
  app.route('/', signupRoutes(deps, services, signupLimits));
  app.route('/', confirmRoutes(deps));
  app.route('/', unsubscribeRoutes(deps));
  app.route('/', trackedLinkRoutes(deps));
  app.route('/', stillInterestedRoutes(deps));
  app.route('/', signupPageRoutes(deps));
  app.route('/', widgetRoutes(deps, pages));
  app.route('/', metricsRoutes(deps, metrics));
  app.route('/', adminAuthRoutes(deps));
  app.route(
    '/',
    adminApiRoutes(deps, { renderer: services.renderer, onPageChange: () => pageSettings.invalidate(), pageSettings }),
  );
  // The console's pages read the admin API in-process through the whole app (auth, roles, CSRF included).
  app.route(
    '/',
    consoleRoutes(deps, {
      guard: requireConsoleSession(deps),
      fetchApi: async (request) => app.fetch(request),
      hasRoute: (method, path) => app.routes.some((r) => r.method === method && r.path === path),
      assets: createConsoleAssets(),
      serviceOrigin: new URL(deps.config.publicBaseUrl).origin,
    }),
  );

  documentRequestErrors(app.openAPIRegistry as unknown as Parameters<typeof documentRequestErrors>[0]);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'Console session from POST /admin/login. Mutations also need the header X-CSRF-Token (GET /api/v1/admin/session returns it).',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'restock-notifier', version: '1.0.0', description: 'Back-in-stock and backorder notifications.' },
  });

  app.notFound((c) => c.json(errorBody(c, 'NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`), 404));
  app.onError((err, c) => respondWithError(c, err, log));
  return app;
}
