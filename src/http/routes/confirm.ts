import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { confirmSignup } from '../../domain/subscriptions/confirm-signup.js';
import { createUnsubscribeToken } from '../../domain/subscriptions/tokens.js';
import { isAppError } from '../../errors.js';
import type { AppEnv } from '../env.js';
import { errorPage, html, htmlPage } from '../html.js';

const route = createRoute({
  method: 'get',
  path: '/confirm',
  tags: ['shoppers'],
  summary: 'Confirm a pending signup (double opt-in link; HTML)',
  request: { query: z.object({ token: z.string().max(200).optional() }) },
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
 */
export function confirmRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return errorPage(c, 404, 'This link is not valid', 'Open the link from the email again.');
    },
  });
  app.openapi(route, async (c) => {
    const { token } = c.req.valid('query');
    if (!token) return errorPage(c, 400, 'This link is incomplete', 'Open the link from the email again, or copy the whole link into your browser.');
    try {
      const { outcome, productName, subscription } = await confirmSignup(deps, token);
      // Whoever holds the confirm link owns the mailbox, so offering the unsubscribe link here is safe.
      const unsubscribe = `/unsubscribe?token=${createUnsubscribeToken(deps.config.appSecret, subscription.id)}`;
      // A second click (or a mail scanner that opened the link first) is normal: say so, kindly.
      if (outcome === 'already') {
        return htmlPage(c, {
          title: 'You are already on the list',
          body: html`<h1>You are already confirmed</h1><p>You are on the list for <strong>${productName}</strong>; there is nothing more to do.</p>
<p class="muted">Changed your mind? <a href="${unsubscribe}">Unsubscribe</a> at any time; every email has the link too.</p>`,
        });
      }
      return htmlPage(c, {
        title: 'You are on the list',
        body: html`<h1>Thanks, you are on the list</h1><p>We will email you when <strong>${productName}</strong> is back in stock.</p>
<p class="muted">Changed your mind? <a href="${unsubscribe}">Unsubscribe</a> at any time; every email has the link too.</p>`,
      });
    } catch (err) {
      if (isAppError(err) && err.code === 'TOKEN_EXPIRED') {
        return errorPage(c, 410, 'This link has expired', 'Confirmation links work for a limited time. Sign up again and we will send you a new one.');
      }
      if (isAppError(err) && err.code === 'INVALID_TOKEN') {
        return errorPage(c, 404, 'This link is not valid', 'Open the link from the email again, or sign up again to get a new one.');
      }
      throw err;
    }
  });
  return app;
}
