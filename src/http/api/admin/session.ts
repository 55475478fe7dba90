import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.js';
import type { Deps } from '../../../deps.js';
import { createUser } from '../../../domain/users/create-user.js';
import { listUsers } from '../../../domain/users/list-users.js';
import { revokeUserSessions } from '../../../domain/users/revoke-user-sessions.js';
import { updateUser } from '../../../domain/users/update-user.js';
import type { PublicUser } from '../../../domain/users/user-input.js';
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
const ListedUser = User.extend({
  activeSessions: z.number().int().openapi({ description: 'live console sessions (logged in, not expired)' }),
}).openapi('ConsoleUserListed');
const WithPassword = z.object({
  user: User,
  password: z
    .string()
    .optional()
    .openapi({ description: 'Only when the service generated it: shown this once, stored only as a hash' }),
});

const Me = z
  .object({
    via: z.enum(['token', 'session']),
    scope: z.enum(['inventory', 'admin', 'marketing']),
    user: z.object({ id: z.number().int(), email: z.string(), role: z.enum(['admin', 'marketing']) }).optional(),
    csrfToken: z
      .string()
      .optional()
      .openapi({ description: 'Send as X-CSRF-Token on every mutation made with the session cookie' }),
    expiresAt: z.string().optional(),
  })
  .openapi('ConsoleSession');

const tags = ['admin: users'];
const routes = {
  me: createRoute({
    method: 'get',
    path: '/api/v1/admin/session',
    tags,
    security: adminSecurity,
    summary: 'Who is calling; for a session also its CSRF token',
    responses: { 200: json(Me, 'The caller'), ...adminErrors },
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/admin/users',
    tags,
    security: adminSecurity,
    summary: 'Console users',
    responses: { 200: json(z.object({ users: z.array(ListedUser) }), 'Users'), ...adminErrors },
  }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/admin/users',
    tags,
    security: adminSecurity,
    summary: 'Create a console user (without `password`, one is generated and answered once)',
    request: jsonBody(
      z.object({ email: line(254), password: line(200).optional(), role: z.enum(['admin', 'marketing']) }),
    ),
    responses: { 201: json(WithPassword, 'Created'), ...adminErrors, ...conflict('CONFLICT: the email has a user') },
  }),
  update: createRoute({
    method: 'patch',
    path: '/api/v1/admin/users/{id}',
    tags,
    security: adminSecurity,
    summary:
      'Change role, disable (revokes sessions) or set a new password (`password`, or `generatePassword: true` answered once; revokes sessions)',
    request: {
      params: z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) }),
      ...jsonBody(
        z.object({
          role: z.enum(['admin', 'marketing']).optional(),
          disabled: z.boolean().optional(),
          password: line(200).optional(),
          generatePassword: z.boolean().optional(),
        }),
      ),
    },
    responses: {
      200: json(WithPassword, 'Updated'),
      ...adminErrors,
      ...notFound,
      ...conflict('CONFLICT: the last enabled admin'),
    },
  }),
  revokeSessions: createRoute({
    method: 'delete',
    path: '/api/v1/admin/users/{id}/sessions',
    tags,
    security: adminSecurity,
    summary: 'Log the user out everywhere (every live session revoked); the user stays enabled',
    request: { params: z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) }) },
    responses: { 200: json(z.object({ revoked: z.number().int() }), 'Sessions ended'), ...adminErrors, ...notFound },
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
  app.openapi(routes.create, async (c) => withPassword(c, await createUser(deps, c.req.valid('json')), 201));
  app.openapi(routes.update, async (c) =>
    withPassword(c, await updateUser(deps, { id: c.req.valid('param').id, changes: c.req.valid('json') }), 200),
  );
  app.openapi(routes.revokeSessions, async (c) =>
    c.json(await revokeUserSessions(deps, { userId: c.req.valid('param').id }), 200),
  );
  return app;
}

/** `{user, password?}`: a generated password leaves the service in this one answer (never cached). */
function withPassword<S extends 200 | 201>(c: Context<AppEnv>, result: PublicUser & { password?: string }, status: S) {
  const { password, ...user } = result;
  if (password) c.header('Cache-Control', 'no-store');
  return c.json({ user, ...(password ? { password } : {}) }, status);
}
