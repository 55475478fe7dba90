import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import { keepSubscription, lookupKeep } from '../../../domain/repermission/keep-subscription.js';
import { AppError } from '../../../errors.js';
import { localeQuery } from '../context.js';
import { sendPage } from '../render.js';
import { StillInterestedDonePage, StillInterestedPage } from '../still-interested.js';
import { createPageRouter } from '../../router.js';

const Query = z.object({
  token: z
    .string()
    .max(200)
    .regex(/^[^\u0000-\u001f\u007f]*$/)
    .optional(),
  locale: z
    .string()
    .max(35)
    .regex(/^[^\u0000-\u001f\u007f]*$/)
    .optional(),
});

const page = createRoute({
  method: 'get',
  path: '/still-interested',
  tags: ['shoppers'],
  summary: '"Still interested?" page with the keep button (HTML; a GET changes nothing)',
  request: { query: Query },
  responses: {
    200: { description: 'HTML page with the button' },
    400: { description: 'HTML page: invalid request' },
    404: { description: 'HTML page: invalid link' },
  },
});

const action = createRoute({
  method: 'post',
  path: '/still-interested',
  tags: ['shoppers'],
  summary: 'Keep the subscription: its waiting period restarts and it is not unsubscribed',
  request: { query: Query },
  responses: {
    200: { description: 'HTML page: kept, or no longer on the waitlist' },
    400: { description: 'HTML page: invalid request' },
    404: { description: 'HTML page: invalid link' },
  },
});

/** Same masking as the unsubscribe page: anyone holding the link may open it. */
const mask = (email: string) => email.replace(/^(.)(.*)(.)@/, (_m, a: string, _b: string, z: string) => `${a}…${z}@`);

const invalidLink = () => new AppError('INVALID_TOKEN', 'Unknown link.');

/** The re-permission answer (issue 12 point 9): GET shows the button, POST records "keep me". */
export function stillInterestedRoutes(deps: Deps) {
  const app = createPageRouter({ log: deps.log, context: 'stillInterested', invalid: 'INVALID_TOKEN' });

  app.openapi(page, async (c) => {
    const { token } = c.req.valid('query');
    if (!token) throw invalidLink();
    const { subscription, productName } = await lookupKeep(deps, { token });
    const actionHref = `/still-interested?token=${encodeURIComponent(token)}${localeQuery(c, '&')}`;
    if (subscription.status !== 'active')
      return sendPage(
        c,
        StillInterestedDonePage({ ...c.var.page, maskedEmail: mask(subscription.email), productName, kept: false }),
      );
    return sendPage(
      c,
      StillInterestedPage({ ...c.var.page, maskedEmail: mask(subscription.email), productName, actionHref }),
    );
  });

  app.openapi(action, async (c) => {
    const { token } = c.req.valid('query');
    if (!token) throw invalidLink();
    const result = await keepSubscription(deps, { token });
    return sendPage(
      c,
      StillInterestedDonePage({
        ...c.var.page,
        maskedEmail: mask(result.subscription.email),
        productName: result.productName,
        kept: result.outcome === 'kept',
      }),
    );
  });

  return app;
}
