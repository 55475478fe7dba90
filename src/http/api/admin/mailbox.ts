import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import { hideOrderTokens } from '../../../domain/mailbox/hide-order-tokens.js';
import { listMailbox, readMailboxMessage } from '../../../domain/mailbox/read-mailbox.js';
import { limit, line } from './inputs.js';
import { createRouter } from '../../router.js';
import { adminErrors, adminSecurity, conflict, json, notFound, principalOf } from './shared.js';

const Entry = {
  id: z.string(),
  subject: z.string(),
  from: z.string(),
  to: z.string(),
  date: z.string().nullable(),
  size: z.number().int(),
};

const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/admin/mailbox',
    tags: ['admin: mailbox'],
    security: adminSecurity,
    summary: 'Captured messages, newest first (capture mode: SMTP_URL unset)',
    request: { query: z.object({ q: line(200).optional(), limit: limit(100, 500) }) },
    responses: {
      200: json(z.object({ total: z.number().int(), messages: z.array(z.object(Entry)) }), 'Messages'),
      ...adminErrors,
      ...conflict('NOT_CAPTURE_MODE: SMTP is configured'),
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/admin/mailbox/{id}',
    tags: ['admin: mailbox'],
    security: adminSecurity,
    summary: 'One captured message: HTML (show it in a sandboxed iframe), text and headers',
    request: { params: z.object({ id: line(200).openapi({ param: { name: 'id', in: 'path' } }) }) },
    responses: {
      200: json(
        z.object({
          ...Entry,
          html: z.string().nullable(),
          text: z.string().nullable(),
          headers: z.array(z.object({ name: z.string(), value: z.string() })),
        }),
        'The message',
      ),
      ...adminErrors,
      ...notFound,
      ...conflict('NOT_CAPTURE_MODE: SMTP is configured'),
    },
  }),
};

export function adminMailboxRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(routes.list, async (c) => c.json(await listMailbox(deps, c.req.valid('query')), 200));
  app.openapi(routes.get, async (c) => {
    const message = await readMailboxMessage(deps, { id: c.req.valid('param').id });
    // Order-page links can cancel an order: marketing users see them without their token.
    return c.json(principalOf(c).scope === 'admin' ? message : hideOrderTokens(message), 200);
  });
  return app;
}
