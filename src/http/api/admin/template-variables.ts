import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import {
  deleteShopVariable,
  listShopVariables,
  saveShopVariable,
  ShopVariableInput,
} from '../../../domain/variables/shop-variables.js';
import { createRouter } from '../../router.js';
import { line } from './inputs.js';
import { adminErrors, adminSecurity, conflict, json, notFound, principalOf } from './shared.js';

const Variable = z
  .object({
    name: z.string(),
    description: z.string(),
    sampleValue: z.string(),
    defaultValue: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi('ShopVariable');
const tags = ['admin: templates'];
const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/admin/template-variables',
    tags,
    security: adminSecurity,
    summary: 'Variables marketing staff added for every template',
    responses: { 200: json(z.object({ variables: z.array(Variable) }), 'Variables'), ...adminErrors },
  }),
  save: createRoute({
    method: 'post',
    path: '/api/v1/admin/template-variables',
    tags,
    security: adminSecurity,
    summary: 'Add or change a variable (name, sample value for previews, default the sender fills in)',
    request: { body: { content: { 'application/json': { schema: ShopVariableInput } }, required: true } },
    responses: {
      200: json(Variable, 'Saved'),
      ...conflict('the sender or a template already uses the name'),
      ...adminErrors,
    },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/api/v1/admin/template-variables/{name}',
    tags,
    security: adminSecurity,
    summary: 'Remove a variable (templates still using it then fail their checks)',
    request: { params: z.object({ name: line(40).openapi({ param: { name: 'name', in: 'path' } }) }) },
    responses: { 204: { description: 'Removed' }, ...notFound, ...adminErrors },
  }),
};

/** The shop's own template variables. */
export function adminTemplateVariableRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(routes.list, async (c) => c.json({ variables: await listShopVariables(deps) }, 200));
  app.openapi(routes.save, async (c) =>
    c.json(await saveShopVariable(deps, { by: principalOf(c).by, variable: c.req.valid('json') }), 200),
  );
  app.openapi(routes.remove, async (c) => {
    await deleteShopVariable(deps, { name: c.req.valid('param').name });
    return c.body(null, 204);
  });
  return app;
}
