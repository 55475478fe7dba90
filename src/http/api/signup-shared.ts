import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { counterKey, createCounterStore, type Count } from '../../db/counters.js';
import type { Deps } from '../../deps.js';
import { SignupInput, type ValidSignup } from '../../domain/subscriptions/create-signup.js';
import type { MailboxLimit } from '../../domain/subscriptions/insert-signup-batch.js';
import { validateEmail, type ValidEmail } from '../../mail/address.js';
import { canonicalMailbox } from '../../domain/validation/email.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';
import { clientIp, createRateLimiter, ipLimitKey } from '../rate-limit.js';

/**
 * What both the JSON API and the HTML form post send to `POST /api/v1/signups`: the domain's
 * `SignupInput` (one set of field rules) with the API's examples, plus the honeypot.
 */
const fields = SignupInput.shape;
export const SignupBody = SignupInput.extend({
  email: fields.email.openapi({ example: 'jane@example.com' }),
  sku: fields.sku.openapi({ example: 'TEE-BLUE-M' }),
  // Blank form fields mean "not given" (createSignup); anything else must be a language tag.
  locale: fields.locale.openapi({ example: 'en' }),
  name: fields.name.openapi({
    description:
      "Letters, spaces and ' - . only, ≤ 60 characters. Never shown in the confirmation email (see README, abuse).",
  }),
  source: fields.source.openapi({ description: 'Where the signup came from, e.g. "product-page".' }),
  website: z.string().max(1000).optional().openapi({ description: 'Honeypot: must stay empty. Bots fill it in.' }),
}).openapi('SignupRequest');
export type SignupBody = z.infer<typeof SignupBody>;

export const SIGNUP_PATH = '/api/v1/signups';

export const isFormPost = (c: Context) =>
  /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(c.req.header('content-type') ?? '');

/** The honeypot: a bot that filled `website` gets what a person would get, and nothing is stored. */
export const isBot = (body: unknown) => {
  const website = (body as { website?: unknown } | undefined)?.website;
  return typeof website === 'string' && website.trim() !== '';
};

/**
 * The signup of a body that passed `SignupBody` with the address `checkEmail` validated: ready for
 * `createSignup`. A blank or missing source is the route's (`api`, `form`).
 */
export const toValidSignup = (body: SignupBody, address: ValidEmail, defaultSource: string): ValidSignup => ({
  ...address,
  sku: body.sku,
  locale: body.locale,
  name: body.name,
  source: body.source?.trim() ? body.source : defaultSource,
});

export type SignupLimits = {
  /** Throws RATE_LIMITED when the caller's network has signed up too often (cheapest check: before parsing). */
  checkIp(c: Context<AppEnv>): void;
  /**
   * Validates the address (VALIDATION before anything is stored), then throws RATE_LIMITED when its
   * mailbox (`canonicalMailbox`: plus-tags and Gmail dots do not buy new attempts) has signed up too
   * often in 10 minutes or in 24 hours. Returns the validated address (for `createSignup`).
   * On PostgreSQL the counting is left to the signup's group-commit statement (issue 23: no round
   * trip of its own): the address comes back with its `limit`, which `createSignup` hands on.
   */
  checkEmail(email: string): Promise<ValidEmail & { limit?: MailboxLimit }>;
};

/**
 * One set of limits shared by the JSON and the form route (so switching media type buys no extra
 * attempts). The per-IP limit (a cheap first filter, keyed on the /64 for IPv6) is per process; the
 * per-mailbox limits and the daily cap are counted in `rate_counters` on PostgreSQL (by the signup
 * group commit's statement, with the inserts: src/domain/subscriptions/insert-signup-batch.ts), so
 * they hold across any number of web processes; in memory on PGlite.
 * Windows are fixed (they start at a mailbox's first signup); a refused signup is taken back out.
 */
export function createSignupLimits(deps: Pick<Deps, 'config' | 'clock' | 'db'>): SignupLimits {
  const { signup } = deps.config;
  const perIp = createRateLimiter({ limit: signup.rateLimitPerIp, windowMs: 60_000, clock: deps.clock });
  const counters = createCounterStore(deps.db, deps.config.database.kind);
  // PostgreSQL: counted in `rate_counters` by the signup's own group-commit statement; PGlite: in memory, here.
  const countedWithInsert = deps.config.database.kind === 'postgres';
  const windows = [
    {
      limit: signup.rateLimitPerEmail,
      windowMs: 10 * 60_000,
      key: 'signup:mailbox:10m:',
      message: 'Too many signups for this email address. Try again later.',
    },
    {
      limit: signup.dailyCapPerEmail,
      windowMs: 24 * 3_600_000,
      key: 'signup:mailbox:24h:',
      message: 'Too many signups for this email address today. Try again tomorrow.',
    },
  ].filter((w) => w.limit > 0);
  const retryAfter = (c: Pick<Count, 'expiresAt'>, now: Date) =>
    Math.max(1, Math.ceil((c.expiresAt.getTime() - now.getTime()) / 1000));
  return {
    checkIp(c) {
      const d = perIp.hit(ipLimitKey(clientIp(c, signup.trustProxy)));
      if (!d.allowed)
        throw new AppError('RATE_LIMITED', 'Too many signups from your network. Try again in a minute.', {
          retryAfter: d.retryAfterSeconds,
        });
    },
    async checkEmail(email) {
      const address = validateEmail(email, { allowIpLiteral: signup.allowIpLiteralEmails });
      if (windows.length === 0) return address;
      const mailbox = canonicalMailbox(address.normalized);
      const keys = windows.map((w) => w.key + mailbox);
      const countAlone = async () => {
        const now = deps.clock.now();
        const counts = await counters.add(
          keys.map((key, i) => ({ key, windowMs: windows[i]!.windowMs })),
          now,
        );
        for (const [i, w] of windows.entries()) {
          const count = counts[i]!;
          if (count.count > w.limit) {
            // A refused signup does not count (in any window): only signups that went through use up the cap.
            await counters.undo(keys);
            throw new AppError('RATE_LIMITED', w.message, { retryAfter: retryAfter(count, now) });
          }
        }
      };
      if (!countedWithInsert) {
        await countAlone();
        return address;
      }
      counters.countedElsewhere(keys.length, deps.clock.now()); // the statement will count them (or countAlone)
      const limit: MailboxLimit = {
        windows: windows.map((w, i) => ({ key: counterKey(keys[i]!), windowMs: w.windowMs, limit: w.limit })),
        countAlone,
        async refuse(i, expiresAt) {
          await counters.undo(keys);
          const w = windows[i]!;
          return new AppError('RATE_LIMITED', w.message, {
            retryAfter: retryAfter({ expiresAt }, deps.clock.now()),
          });
        },
      };
      return { ...address, limit };
    },
  };
}
