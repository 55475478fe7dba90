import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Deps } from '../../deps.js';
import type { SignupInput } from '../../domain/subscriptions/create-signup.js';
import { normalizeEmail } from '../../domain/subscriptions/validate-email.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../env.js';
import { clientIp, createRateLimiter } from '../rate-limit.js';

/** What both the JSON API and the HTML form post send to `POST /api/v1/signups`. */
export const SignupBody = z
  .object({
    email: z.string().max(1000).openapi({ example: 'jane@example.com' }),
    sku: z.string().max(200).openapi({ example: 'TEE-BLUE-M' }),
    locale: z.string().max(35).optional().openapi({ example: 'en' }),
    name: z.string().max(200).optional(),
    source: z.string().max(100).optional().openapi({ description: 'Where the signup came from, e.g. "product-page".' }),
    website: z.string().max(1000).optional().openapi({ description: 'Honeypot: must stay empty. Bots fill it in.' }),
  })
  .openapi('SignupRequest');
export type SignupBody = z.infer<typeof SignupBody>;

export const SIGNUP_PATH = '/api/v1/signups';

export const isFormPost = (c: Context) =>
  /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(c.req.header('content-type') ?? '');

/** The honeypot: a bot that filled `website` gets what a person would get, and nothing is stored. */
export const isBot = (body: unknown) => {
  const website = (body as { website?: unknown } | undefined)?.website;
  return typeof website === 'string' && website.trim() !== '';
};

/** HTML forms send empty strings for fields left blank: those mean "not given". */
const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);

export const toSignupInput = (body: SignupBody, defaultSource: string): SignupInput => ({
  email: body.email,
  sku: body.sku,
  locale: blank(body.locale),
  name: blank(body.name),
  source: blank(body.source) ?? defaultSource,
});

export type SignupLimits = {
  /** Throws RATE_LIMITED when the caller's network has signed up too often (cheapest check: before parsing). */
  checkIp(c: Context<AppEnv>): void;
  /** Throws RATE_LIMITED when this address has signed up too often. */
  checkEmail(email: string): void;
};

/**
 * One pair of limiters shared by the JSON and the form route (so switching media type buys no
 * extra attempts). They live in memory, i.e. per process.
 */
export function createSignupLimits(deps: Pick<Deps, 'config' | 'clock'>): SignupLimits {
  const { signup } = deps.config;
  const perIp = createRateLimiter({ limit: signup.rateLimitPerIp, windowMs: 60_000, clock: deps.clock });
  const perEmail = createRateLimiter({ limit: signup.rateLimitPerEmail, windowMs: 10 * 60_000, clock: deps.clock });
  return {
    checkIp(c) {
      const d = perIp.hit(clientIp(c, signup.trustProxy));
      if (!d.allowed) throw new AppError('RATE_LIMITED', 'Too many signups from your network. Try again in a minute.', { retryAfter: d.retryAfterSeconds });
    },
    checkEmail(email) {
      const d = perEmail.hit(normalizeEmail(email));
      if (!d.allowed) throw new AppError('RATE_LIMITED', 'Too many signups for this email address. Try again later.', { retryAfter: d.retryAfterSeconds });
    },
  };
}
