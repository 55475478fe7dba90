import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import { recordClick } from '../../../domain/clicks/record-click.js';
import { createPageRouter } from '../../router.js';

const route = createRoute({
  method: 'get',
  path: '/r/{token}',
  tags: ['shoppers'],
  summary: 'Tracked product link from a bulk email: records the click, 302 to the UTM-tagged product URL',
  request: {
    params: z.object({
      token: z
        .string()
        .max(6000)
        .openapi({ param: { name: 'token', in: 'path' } }),
    }),
  },
  responses: {
    302: { description: 'To the product page the token was signed for (never anywhere else)' },
    404: { description: 'HTML page: malformed or forged token' },
  },
});

/**
 * GET (and HEAD, which hono routes here too) /r/{token}. The target comes only from the signed token,
 * so the route cannot be used as an open redirect. Nothing about the visitor is kept beyond the time
 * and the class of the click: no IP address, no user agent. `no-store` keeps caches from answering
 * a second click without us.
 */
export function trackedLinkRoutes(deps: Deps) {
  const app = createPageRouter({ log: deps.log, invalid: 'INVALID_TOKEN' });
  app.openapi(route, async (c) => {
    const outcome = await recordClick(deps, {
      token: c.req.valid('param').token,
      method: c.req.method,
      userAgent: c.req.header('user-agent'),
    });
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.redirect(outcome.target, 302);
  });
  return app;
}
