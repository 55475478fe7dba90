import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { Deps } from '../../deps.js';
import { createSignup, type SignupInput } from '../../domain/subscriptions/create-signup.js';
import { normalizeEmail } from '../../domain/subscriptions/validate-email.js';
import { AppError, isAppError } from '../../errors.js';
import type { AppEnv } from '../env.js';
import { errorBody, statusByCode, zodDetails } from '../errors.js';
import { html, htmlPage } from '../html.js';
import { clientIp, createRateLimiter } from '../rate-limit.js';

const SignupBody = z
  .object({
    email: z.string().max(1000).openapi({ example: 'jane@example.com' }),
    sku: z.string().max(200).openapi({ example: 'TEE-BLUE-M' }),
    locale: z.string().max(35).optional().openapi({ example: 'en' }),
    name: z.string().max(200).optional(),
    source: z.string().max(100).optional().openapi({ description: 'Where the signup came from, e.g. "product-page".' }),
    website: z.string().max(1000).optional().openapi({ description: 'Honeypot: must stay empty. Bots fill it in.' }),
  })
  .openapi('SignupRequest');

const Subscription = z
  .object({ id: z.number().int(), sku: z.string(), email: z.string(), status: z.enum(['pending', 'active', 'notified', 'unsubscribed']) })
  .openapi('Subscription');
const SubscriptionResponse = z.object({ subscription: Subscription }).openapi('SubscriptionResponse');
const ErrorEnvelope = z
  .object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string(), details: z.unknown().optional() }) })
  .openapi('SignupError');
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorEnvelope } } });

const route = createRoute({
  method: 'post',
  path: '/api/v1/signups',
  tags: ['shoppers'],
  summary: 'Sign up for a back-in-stock email',
  description:
    'JSON, or a plain HTML form post (`application/x-www-form-urlencoded`), which is answered with a 303 redirect to a result page, or an HTML error page, instead of JSON. ' +
    'Under double opt-in the subscription is `pending` until the link in the confirmation email is opened.',
  request: {
    body: {
      required: false, // both media types are accepted; the validator for the one sent runs.
      content: { 'application/json': { schema: SignupBody }, 'application/x-www-form-urlencoded': { schema: SignupBody } },
    },
  },
  responses: {
    201: { description: 'Signed up', content: { 'application/json': { schema: SubscriptionResponse } } },
    200: { description: 'Already signed up: the existing subscription', content: { 'application/json': { schema: SubscriptionResponse } } },
    303: { description: 'Form post: redirect to the result page' },
    400: errorResponse('VALIDATION'),
    404: errorResponse('UNKNOWN_SKU'),
    409: errorResponse('IN_STOCK'),
    415: errorResponse('Neither JSON nor a form'),
    429: errorResponse('RATE_LIMITED (see Retry-After)'),
  },
});

const isForm = (c: Context) => /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(c.req.header('content-type') ?? '');

type Body = z.infer<typeof SignupBody>;

const pageTitles: Partial<Record<string, string>> = {
  VALIDATION: 'Please check your details',
  UNKNOWN_SKU: 'We do not know this product',
  IN_STOCK: 'Good news: it is in stock',
  RATE_LIMITED: 'Too many attempts',
};

const fieldLabels: Record<string, string> = { email: 'Email address', sku: 'Product', name: 'Name', locale: 'Language', source: 'Source' };

/** A form post never gets JSON: errors become a friendly page with the same status. */
function formErrorPage(c: Context<AppEnv>, err: AppError, sku: string | undefined): Response {
  const status = statusByCode[err.code];
  const details = Array.isArray(err.details) ? (err.details as { path?: string; message?: string }[]) : [];
  const headers: Record<string, string> = err.retryAfter ? { 'Retry-After': String(Math.max(1, Math.ceil(err.retryAfter))) } : {};
  const back = sku && err.code !== 'UNKNOWN_SKU' ? `/signup/${encodeURIComponent(sku)}` : undefined;
  const title = pageTitles[err.code] ?? 'Something is not right';
  return htmlPage(c, {
    title,
    status: status >= 500 ? 400 : status,
    headers,
    body: html`<h1>${title}</h1><p>${err.message}</p>
${details.length > 0 ? html`<ul>${details.map((d) => html`<li>${fieldLabels[d.path ?? ''] ?? d.path}: ${d.message}</li>`)}</ul>` : ''}
${back ? html`<p><a href="${back}">Back to the form</a></p>` : ''}`,
  });
}

/**
 * POST /api/v1/signups. Order: per-IP limit (cheapest, before parsing) → body validation → honeypot →
 * per-email limit → `createSignup`. Rate limiters live in this router instance, i.e. per process.
 */
export function signupRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>();
  const { signup } = deps.config;
  const perIp = createRateLimiter({ limit: signup.rateLimitPerIp, windowMs: 60_000, clock: deps.clock });
  const perEmail = createRateLimiter({ limit: signup.rateLimitPerEmail, windowMs: 10 * 60_000, clock: deps.clock });

  const limitByIp: MiddlewareHandler<AppEnv> = async (c, next) => {
    const decision = perIp.hit(clientIp(c, signup.trustProxy));
    if (!decision.allowed) {
      const err = new AppError('RATE_LIMITED', 'Too many signups from your network. Try again in a minute.', { retryAfter: decision.retryAfterSeconds });
      if (isForm(c)) return formErrorPage(c, err, undefined);
      throw err;
    }
    await next();
  };

  // A bot that filled the honeypot gets what a person would get, so it learns nothing; nothing is stored.
  const fakeSuccess = (c: Context<AppEnv>, body: Partial<Body>) => {
    const status = signup.doubleOptIn ? ('pending' as const) : ('active' as const);
    const sku = String(body.sku ?? '');
    c.set('signupOutcome', 'honeypot');
    if (isForm(c)) return c.redirect(`/signup/${encodeURIComponent(sku)}/done?status=${status}`, 303);
    return c.json({ subscription: { id: 1 + Math.floor(Math.random() * 1_000_000), sku, email: String(body.email ?? '').trim(), status } }, 201);
  };
  const isBot = (body: unknown) => {
    const website = (body as { website?: unknown } | undefined)?.website;
    return typeof website === 'string' && website.trim() !== '';
  };

  app.openapi(
    { ...route, middleware: [limitByIp] },
    async (c) => {
      const form = isForm(c);
      if (!form && !/^application\/(.+\+)?json/i.test(c.req.header('content-type') ?? '')) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send JSON (application/json) or a form (application/x-www-form-urlencoded).');
      }
      const body: Body = form ? c.req.valid('form') : c.req.valid('json');
      if (isBot(body)) return fakeSuccess(c, body);
      // HTML forms send empty strings for fields left blank: those mean "not given".
      const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);
      const input: SignupInput = {
        email: body.email,
        sku: body.sku,
        locale: blankToUndefined(body.locale),
        name: blankToUndefined(body.name),
        source: blankToUndefined(body.source) ?? (form ? 'form' : 'api'),
      };
      try {
        const emailDecision = perEmail.hit(normalizeEmail(body.email));
        if (!emailDecision.allowed) {
          throw new AppError('RATE_LIMITED', 'Too many signups for this email address. Try again later.', { retryAfter: emailDecision.retryAfterSeconds });
        }
        const result = await createSignup(deps, input);
        const { id, sku, email, status } = result.subscription;
        c.set('signupOutcome', result.outcome);
        if (form) return c.redirect(`/signup/${encodeURIComponent(sku)}/done?status=${status}`, 303);
        return c.json({ subscription: { id, sku, email, status } }, result.outcome === 'created' ? 201 : 200);
      } catch (err) {
        if (form && isAppError(err)) return formErrorPage(c, err, body.sku);
        throw err;
      }
    },
    (result, c) => {
      if (result.success) return;
      if (isBot((result as { data?: unknown }).data)) return fakeSuccess(c, (result as { data?: Partial<Body> }).data ?? {});
      const details = zodDetails(result.error);
      if (isForm(c)) {
        const sku = (result as { data?: { sku?: unknown } }).data?.sku;
        return formErrorPage(c, new AppError('VALIDATION', 'Please check the form.', { details }), typeof sku === 'string' ? sku : undefined);
      }
      return c.json(errorBody(c, 'VALIDATION', 'The request is not valid.', details), 400);
    },
  );
  return app;
}
