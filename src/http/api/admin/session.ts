import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import { createUser } from '../../../domain/users/create-user.js';
import { listUsers } from '../../../domain/users/list-users.js';
import { updateUser } from '../../../domain/users/update-user.js';
import { Id, line } from './inputs.js';
import { createRouter } from '../../router.js';
import { adminErrors, adminSecurity, conflict, json, jsonBody, notFound, principalOf } from './shared.js';

const User = z
  .object({
    id: z.number().int(),
    email: z.string(),
    role: z.enum(['admin', 'marketing']),
    disabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .openapi('ConsoleUser');

const Me = z
  .object({
    via: z.enum(['token', 'session']),
    scope: z.enum(['inventory', 'admin', 'marketing']),
    user: z.object({ id: z.number().int(), email: z.string(), role: z.enum(['admin', 'marketing']) }).optional(),
    csrfToken: z.string().optional().openapi({ description: 'Send as X-CSRF-Token on every mutation made with the session cookie' }),
    expiresAt: z.string().optional(),
  })
  .openapi('ConsoleSession');

const tags = ['admin: users'];
const routes = {
  me: createRoute({ method: 'get', path: '/api/v1/admin/session', tags, security: adminSecurity, summary: 'Who is calling; for a session also its CSRF token', responses: { 200: json(Me, 'The caller'), ...adminErrors } }),
  list: createRoute({ method: 'get', path: '/api/v1/admin/users', tags, security: adminSecurity, summary: 'Console users', responses: { 200: json(z.object({ users: z.array(User) }), 'Users'), ...adminErrors } }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/admin/users',
    tags,
    security: adminSecurity,
    summary: 'Create a console user',
    request: jsonBody(z.object({ email: line(254), password: line(200), role: z.enum(['admin', 'marketing']) })),
    responses: { 201: json(z.object({ user: User }), 'Created'), ...adminErrors, ...conflict('CONFLICT: the email has a user') },
  }),
  update: createRoute({
    method: 'patch',
    path: '/api/v1/admin/users/{id}',
    tags,
    security: adminSecurity,
    summary: 'Change role, disable (revokes sessions) or set a new password (revokes sessions)',
    request: {
      params: z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) }),
      ...jsonBody(z.object({ role: z.enum(['admin', 'marketing']).optional(), disabled: z.boolean().optional(), password: line(200).optional() })),
    },
    responses: { 200: json(z.object({ user: User }), 'Updated'), ...adminErrors, ...notFound, ...conflict('CONFLICT: the last enabled admin') },
  }),
};

export function adminUserRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(routes.me, (c) => {
    const p = principalOf(c);
    return c.json(
      {
        via: p.via,
        scope: p.scope,
        ...(p.user ? { user: p.user } : {}),
        ...(p.session ? { csrfToken: p.session.csrfToken, expiresAt: p.session.expiresAt.toISOString() } : {}),
      },
      200,
    );
  });
  app.openapi(routes.list, async (c) => c.json({ users: await listUsers(deps) }, 200));
  app.openapi(routes.create, async (c) => c.json({ user: await createUser(deps, c.req.valid('json')) }, 201));
  app.openapi(routes.update, async (c) => c.json({ user: await updateUser(deps, c.req.valid('param').id, c.req.valid('json')) }, 200));
  return app;
}
