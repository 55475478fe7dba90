import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../../deps.js';
import type { Services } from '../../jobs/services.js';
import { createSignup } from '../../domain/subscriptions/create-signup.js';
import { withSettings } from '../../domain/settings/effective-settings.js';
import { publicSubscriptionId, randomPublicSubscriptionId } from '../../domain/subscriptions/public-id.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';
import { errorBody, zodDetails } from '../errors.js';
import { errorResponses } from '../openapi.js';
import { createRouter } from '../router.js';
import { isBot, SIGNUP_PATH, SignupBody, toValidSignup, type SignupLimits } from './signup-shared.js';

const Subscription = z
  .object({
    id: z
      .string()
      .openapi({ example: 'sub_Q2hhbmdlTWVQbGVhc2Ux', description: 'Opaque public id (not the row number)' }),
    sku: z.string(),
    email: z.string(),
    status: z.enum(['pending', 'active', 'notified', 'unsubscribed']),
  })
  .openapi('Subscription');
const SubscriptionResponse = z.object({ subscription: Subscription }).openapi('SubscriptionResponse');

const route = createRoute({
  method: 'post',
  path: SIGNUP_PATH,
  tags: ['shoppers'],
  summary: 'Sign up for a back-in-stock email',
  description:
    'JSON, or a plain HTML form post (`application/x-www-form-urlencoded`), which is answered with a 303 redirect to a result page, or an HTML error page, instead of JSON. ' +
    'Under double opt-in the subscription is `pending` until the link in the confirmation email is opened. ' +
    'Browsers on other origins may call it when the origin is listed in `ALLOWED_ORIGINS` (CORS).',
  request: {
    body: {
      required: false, // both media types are accepted; the form one is handled by signup-form.ts.
      content: {
        'application/json': { schema: SignupBody },
        'application/x-www-form-urlencoded': { schema: SignupBody },
      },
    },
  },
  responses: {
    201: { description: 'Signed up', content: { 'application/json': { schema: SubscriptionResponse } } },
    200: {
      description: 'Already signed up: the existing subscription',
      content: { 'application/json': { schema: SubscriptionResponse } },
    },
    303: { description: 'Form post: redirect to the result page' },
    ...errorResponses(
      400,
      [404, 'UNKNOWN_SKU'],
      [409, 'IN_STOCK'],
      [415, 'neither JSON nor a form'],
      [429, 'see Retry-After'],
    ),
  },
});

/**
 * POST /api/v1/signups with JSON. Order: per-IP limit (cheapest, before parsing) → body validation →
 * honeypot → per-email limit → `createSignup`. Form posts never reach this handler (signup-form.ts).
 */
export function signupRoutes(deps: Deps, services: Services, limits: SignupLimits) {
  const app = createRouter();
  const ctx = { ...deps, signups: services.signupPorts, outbox: services.outbox.deliveries };
  const limitByIp: MiddlewareHandler<AppEnv> = async (c, next) => {
    limits.checkIp(c);
    await next();
  };
  // A bot gets a plausible answer so it learns nothing; nothing is stored. What it sent is echoed
  // bounded (the body limit applies, but an answer is no place for 1 MB of someone's text).
  const fakeSuccess = (body: Partial<SignupBody>, doubleOptIn: boolean) => ({
    subscription: {
      id: randomPublicSubscriptionId(),
      sku: Array.from(String(body.sku ?? ''))
        .slice(0, 200)
        .join(''),
      email: Array.from(String(body.email ?? '').trim())
        .slice(0, 254)
        .join(''),
      status: doubleOptIn ? ('pending' as const) : ('active' as const),
    },
  });

  app.openapi(
    { ...route, middleware: [limitByIp] },
    async (c) => {
      if (!/^application\/(.+\+)?json/i.test(c.req.header('content-type') ?? '')) {
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          'Send JSON (application/json) or a form (application/x-www-form-urlencoded).',
        );
      }
      const body = c.req.valid('json');
      // Double opt-in as the console set it (per-process memo, see effective-settings.ts).
      const d = await withSettings(deps);
      if (isBot(body)) {
        c.set('signupOutcome', 'honeypot');
        return c.json(fakeSuccess(body, d.config.signup.doubleOptIn), 201);
      }
      const address = await limits.checkEmail(body.email);
      const result = await createSignup({ ...ctx, config: d.config }, toValidSignup(body, address, 'api'));
      const { id, sku, email, status } = result.subscription;
      return c.json(
        { subscription: { id: publicSubscriptionId(deps.config.appSecret, id), sku, email, status } },
        result.outcome === 'created' ? 201 : 200,
      );
    },
    (result, c) => {
      if (result.success) return;
      const data = (result as { data?: Partial<SignupBody> }).data;
      if (isBot(data)) {
        c.set('signupOutcome', 'honeypot');
        // A bot's malformed body: the environment's double opt-in is plausible enough for a fake answer.
        return c.json(fakeSuccess(data ?? {}, deps.config.signup.doubleOptIn), 201);
      }
      return c.json(errorBody(c, 'VALIDATION', 'The request is not valid.', zodDetails(result.error)), 400);
    },
  );
  return app;
}
