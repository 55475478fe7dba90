import type { Deps } from '../../deps.js';
import type { Services } from '../../jobs/services.js';
import { getAvailability } from '../../domain/inventory/get-availability.js';
import { withSettings } from '../../domain/settings/effective-settings.js';
import { createSignup } from '../../domain/subscriptions/create-signup.js';
import { Sku } from '../../domain/validation/text.js';
import { AppError } from '../../errors.js';
import { zodDetails } from '../errors.js';
import { localeQuery, useLocale } from '../pages/context.js';
import { renderErrorPage } from '../pages/error-page.js';
import { sendPage } from '../pages/render.js';
import { SignupFormPage } from '../pages/signup.js';
import { createPageRouter } from '../router.js';
import { isBot, isFormPost, SIGNUP_PATH, SignupBody, toValidSignup, type SignupLimits } from './signup-shared.js';

/**
 * The hosted signup page's form post (`application/x-www-form-urlencoded` to POST /api/v1/signups).
 * Mounted before the JSON route on the same path: anything that is not a form falls through to it.
 * A form post never gets JSON: success is a 303 to the result page, an error is the error page.
 * Order as in the JSON route: per-IP limit → validation → honeypot → per-email limit → createSignup.
 */
export function signupFormRoutes(deps: Deps, services: Services, limits: SignupLimits) {
  const app = createPageRouter({ log: deps.log });
  const ctx = { ...deps, signups: services.signupPorts, outbox: services.outbox.deliveries };
  app.post(SIGNUP_PATH, async (c, next) => {
    if (!isFormPost(c)) return next();
    let formHref: string | undefined;
    let typed: { sku: string; email: string } | undefined;
    try {
      limits.checkIp(c);
      const d = await withSettings(deps); // double opt-in as the console set it
      const raw = await c.req.parseBody();
      useLocale(c, raw.locale);
      if (typeof raw.sku === 'string' && raw.sku !== '')
        typed = {
          sku: Array.from(raw.sku).slice(0, 200).join(''),
          email: typeof raw.email === 'string' ? raw.email.slice(0, 254) : '',
        };
      if (typeof raw.sku === 'string' && Sku.safeParse(raw.sku).success)
        formHref = `/signup/${encodeURIComponent(raw.sku)}${localeQuery(c)}`;
      const done = (sku: string, status: string) =>
        c.redirect(`/signup/${encodeURIComponent(sku)}/done?status=${status}${localeQuery(c, '&')}`, 303);
      // A bot that filled the honeypot is sent where a person would go; nothing is stored.
      // The SKU is echoed into the Location header only when it is a valid one (bounded, printable).
      if (isBot(raw)) {
        c.set('signupOutcome', 'honeypot');
        const sku = Sku.safeParse(raw.sku);
        return done(sku.success ? sku.data : '-', d.config.signup.doubleOptIn ? 'pending' : 'active');
      }
      const parsed = SignupBody.safeParse(raw);
      if (!parsed.success)
        throw new AppError('VALIDATION', 'Please check the form.', { details: zodDetails(parsed.error) });
      const address = await limits.checkEmail(parsed.data.email);
      const result = await createSignup({ ...ctx, config: d.config }, toValidSignup(parsed.data, address, 'form'));
      c.set('signupOutcome', result.outcome);
      return done(result.subscription.sku, result.subscription.status);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (typed && isEmailError(err)) {
        // The form again, with the message at the field and what the shopper typed (escaped by JSX).
        const d = await withSettings(deps);
        const product = await getAvailability(d, { sku: typed.sku }).catch(() => undefined);
        if (product && product.status !== 'in_stock') {
          const error = { message: c.var.page.m.t('signup.error.email'), email: typed.email };
          return sendPage(
            c,
            SignupFormPage({ ...c.var.page, product, doubleOptIn: d.config.signup.doubleOptIn, error }),
            400,
          );
        }
      }
      return renderErrorPage(c, err, { formHref: err.code === 'UNKNOWN_SKU' ? undefined : formHref });
    }
  });
  return app;
}

/** A VALIDATION error about the email field (the only field a shopper types on the hosted page). */
function isEmailError(err: AppError): boolean {
  return (
    err.code === 'VALIDATION' &&
    Array.isArray(err.details) &&
    err.details.some((d) => (d as { path?: unknown }).path === 'email')
  );
}
