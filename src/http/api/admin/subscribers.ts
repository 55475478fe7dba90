import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import { eraseSubscriber } from '../../../domain/people/erase-subscriber.js';
import { exportSubscriber } from '../../../domain/people/export-subscriber.js';
import { lookupSubscriber } from '../../../domain/people/lookup-subscriber.js';
import { listSuppressions } from '../../../domain/suppressions/list-suppressions.js';
import { removeSuppression } from '../../../domain/suppressions/remove-suppression.js';
import { EmailParam, limit, line, offset } from './inputs.js';
import { createRouter } from '../../router.js';
import { adminErrors, adminSecurity, json, jsonBody, notFound } from './shared.js';

const Email = EmailParam;

const Subscriber = z
  .object({
    email: z.string(),
    suppression: z.object({ reason: z.string(), createdAt: z.string() }).nullable(),
    subscriptions: z.array(
      z.object({
        id: z.number().int(),
        sku: z.string(),
        productName: z.string().nullable(),
        status: z.string(),
        locale: z.string().nullable(),
        name: z.string().nullable(),
        source: z.string().nullable(),
        createdAt: z.string(),
        confirmedAt: z.string().nullable(),
        notifiedAt: z.string().nullable(),
        unsubscribedAt: z.string().nullable(),
      }),
    ),
    deliveries: z.array(
      z.object({
        id: z.number().int(),
        templateKey: z.string(),
        status: z.string(),
        subscriptionId: z.number().int().nullable(),
        kind: z.string(),
        eventId: z.number().int().nullable(),
        attempts: z.number().int(),
        lastError: z.string().nullable(),
        smtpResponse: z.string().nullable(),
        createdAt: z.string(),
        sentAt: z.string().nullable(),
        nextAttemptAt: z.string(),
      }),
    ),
    orderLines: z
      .array(z.record(z.string(), z.unknown()))
      .openapi({ description: 'order lines on backorder (empty until that feature is installed)' }),
  })
  .openapi('Subscriber');

const Suppression = z.object({ email: z.string(), reason: z.string(), createdAt: z.string() }).openapi('Suppression');

const routes = {
  lookup: createRoute({
    method: 'get',
    path: '/api/v1/admin/subscribers',
    tags: ['admin: subscribers'],
    security: adminSecurity,
    summary: 'One address: subscriptions, deliveries (errors, SMTP replies), suppression, order lines',
    request: { query: z.object({ email: Email }) },
    responses: { 200: json(Subscriber, 'The subscriber'), ...adminErrors },
  }),
  export: createRoute({
    method: 'get',
    path: '/api/v1/admin/subscribers/export',
    tags: ['admin: subscribers'],
    security: adminSecurity,
    summary: 'Everything held about an address (GDPR access), as a JSON download',
    request: { query: z.object({ email: Email }) },
    responses: { 200: json(z.record(z.string(), z.unknown()), 'The export'), ...adminErrors },
  }),
  erase: createRoute({
    method: 'post',
    path: '/api/v1/admin/subscribers/erase',
    tags: ['admin: subscribers'],
    security: adminSecurity,
    summary: 'Erase an address: personal data removed, anonymous tombstones kept, address suppressed (reason erased)',
    request: jsonBody(z.object({ email: Email })),
    responses: {
      200: json(
        z.object({
          erased: z.object({
            subscriptions: z.number().int(),
            deliveries: z.number().int(),
            orderLines: z.number().int(),
            suppressed: z.literal(true),
          }),
        }),
        'Erased',
      ),
      ...adminErrors,
    },
  }),
  suppressions: createRoute({
    method: 'get',
    path: '/api/v1/admin/suppressions',
    tags: ['admin: subscribers'],
    security: adminSecurity,
    summary: 'Suppressed addresses with their reasons (unsubscribe-all, hard bounce, erased, …)',
    request: {
      query: z.object({
        q: line(254).optional(),
        reason: line(50).optional(),
        limit: limit(100, 1000),
        offset,
      }),
    },
    responses: {
      200: json(z.object({ total: z.number().int(), suppressions: z.array(Suppression) }), 'The list'),
      ...adminErrors,
    },
  }),
  unsuppress: createRoute({
    method: 'delete',
    path: '/api/v1/admin/suppressions',
    tags: ['admin: subscribers'],
    security: adminSecurity,
    summary: 'Remove one address from the suppression list',
    request: { query: z.object({ email: Email }) },
    responses: {
      200: json(z.object({ removed: Suppression.pick({ email: true, reason: true }) }), 'Removed'),
      ...adminErrors,
      ...notFound,
    },
  }),
};

export function adminSubscriberRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(routes.lookup, async (c) =>
    c.json(await lookupSubscriber(deps, { email: c.req.valid('query').email }), 200),
  );
  app.openapi(routes.export, async (c) => {
    const data = await exportSubscriber(deps, { email: c.req.valid('query').email });
    c.header('Content-Disposition', `attachment; filename="subscriber-export-${data.exportedAt.slice(0, 10)}.json"`);
    c.header('Cache-Control', 'no-store');
    return c.json(data as Record<string, unknown>, 200);
  });
  app.openapi(routes.erase, async (c) => {
    const erased = await eraseSubscriber(deps, { email: c.req.valid('json').email });
    deps.log.info({ requestId: c.get('requestId'), by: c.get('principal')?.via, ...erased }, 'subscriber erased');
    return c.json({ erased }, 200);
  });
  app.openapi(routes.suppressions, async (c) => c.json(await listSuppressions(deps, c.req.valid('query')), 200));
  app.openapi(routes.unsuppress, async (c) =>
    c.json({ removed: await removeSuppression(deps, { email: c.req.valid('query').email }) }, 200),
  );
  return app;
}
