import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import { createApiToken } from '../../../domain/api-tokens/create-api-token.js';
import { listApiTokens } from '../../../domain/api-tokens/list-api-tokens.js';
import { revokeApiToken } from '../../../domain/api-tokens/revoke-api-token.js';
import { createRouter } from '../../router.js';
import { Id, line } from './inputs.js';
import { adminErrors, adminSecurity, json, jsonBody, notFound, principalOf } from './shared.js';

const Scope = z.enum(['inventory', 'admin', 'marketing']);
const ApiToken = z
  .object({
    id: z.number().int(),
    name: z.string(),
    scope: Scope,
    prefix: z.string().openapi({
      description: 'The first characters of the token, to recognise it; not usable as a token',
      example: 'rnt_Ab3dE6gH',
    }),
    createdBy: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable().openapi({ description: 'Updated at most about once a minute' }),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiToken');

const tags = ['admin: API tokens'];
const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/admin/api-tokens',
    tags,
    security: adminSecurity,
    summary: 'API tokens made in the console (never their secret); API_TOKENS from the environment are not listed',
    responses: { 200: json(z.object({ apiTokens: z.array(ApiToken) }), 'Tokens, newest first'), ...adminErrors },
  }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/admin/api-tokens',
    tags,
    security: adminSecurity,
    summary: 'Create a token of one scope; `token` is in this answer only and can never be shown again',
    request: jsonBody(z.object({ name: line(100).min(1), scope: Scope })),
    responses: {
      201: json(
        z.object({
          apiToken: ApiToken,
          token: z.string().openapi({ description: 'Send as Authorization: Bearer <token>' }),
        }),
        'Created',
      ),
      ...adminErrors,
    },
  }),
  revoke: createRoute({
    method: 'delete',
    path: '/api/v1/admin/api-tokens/{id}',
    tags,
    security: adminSecurity,
    summary: 'Revoke a token: every request with it is refused (401) from now on',
    request: { params: z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) }) },
    responses: { 200: json(z.object({ apiToken: ApiToken }), 'Revoked'), ...adminErrors, ...notFound },
  }),
};

/** Console-made API tokens (admin only, per adminRouteScopes). */
export function adminApiTokenRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(routes.list, async (c) => c.json({ apiTokens: await listApiTokens(deps) }, 200));
  app.openapi(routes.create, async (c) => {
    const created = await createApiToken(deps, { fields: c.req.valid('json'), createdBy: principalOf(c).by });
    // The one answer that carries the secret: no cache may keep it.
    c.header('Cache-Control', 'no-store');
    return c.json(created, 201);
  });
  app.openapi(routes.revoke, async (c) =>
    c.json({ apiToken: await revokeApiToken(deps, { id: c.req.valid('param').id }) }, 200),
  );
  return app;
}
