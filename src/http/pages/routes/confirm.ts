import { createRoute, z } from '@hono/zod-openapi';
import { safeText } from '../../../domain/validation/text.js';
import type { Deps } from '../../../deps.js';
import { confirmSignup } from '../../../domain/subscriptions/confirm-signup.js';
import { createUnsubscribeToken } from '../../../domain/subscriptions/tokens.js';
import { AppError } from '../../../errors.js';
import { sendPage } from '../render.js';
import { ConfirmedPage } from '../subscription.js';
import { createPageRouter } from '../../router.js';

const route = createRoute({
  method: 'get',
  path: '/confirm',
  tags: ['shoppers'],
  summary: 'Confirm a pending signup (double opt-in link; HTML)',
  request: { query: z.object({ token: safeText({ max: 200 }).optional(), locale: safeText({ max: 35 }).optional() }) },
  responses: {
    200: { description: 'HTML page: confirmed, or already confirmed (a second click)' },
    400: { description: 'HTML page: the link has no token' },
    404: { description: 'HTML page: unknown token' },
    410: { description: 'HTML page: the link has expired' },
  },
});

/**
 * GET /confirm?token=… — opening the link in the email is the confirmation. (Unlike unsubscribe, a
 * GET may change state here: a prefetching link scanner can at worst confirm a signup the owner of
 * the mailbox received, and a confirmation link that needs a second click loses real shoppers.)
 * Errors (INVALID_TOKEN, TOKEN_EXPIRED, …) become pages through `pageByCode` with context `confirm`.
 */
export function confirmRoutes(deps: Deps) {
  const app = createPageRouter({ log: deps.log, context: 'confirm', invalid: 'INVALID_TOKEN' });
  app.openapi(route, async (c) => {
    const { token } = c.req.valid('query');
    if (!token) throw new AppError('BAD_REQUEST', 'The confirmation link has no token.');
    const { outcome, productName, subscription } = await confirmSignup(deps, { token });
    // Whoever holds the confirm link owns the mailbox, so offering the unsubscribe link here is safe.
    const unsubscribeHref = `/unsubscribe?token=${createUnsubscribeToken(deps.config.appSecret, subscription.id)}`;
    return sendPage(c, ConfirmedPage({ ...c.var.page, productName, unsubscribeHref, already: outcome === 'already' }));
  });
  return app;
}
