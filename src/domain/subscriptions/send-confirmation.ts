import type { Deps } from '../../deps.js';
import { createRenderer, type Renderer } from '../../mail/render.js';
import { readTemplateFile, templatesDir } from '../../mail/template-file.js';

export type ConfirmationRequest = {
  subscription: { id: number; email: string; name: string | null; locale: string | null };
  productName: string;
  /** The raw single-use token (only its hash is stored). */
  token: string;
};

// The renderer is a pure compile cache (no connection, no I/O state), so one per process is fine:
// the MJML compile (≈13 ms) then happens once, not per signup.
let renderer: Renderer | undefined;

export function confirmUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/confirm?token=${encodeURIComponent(token)}`;
}

/**
 * Renders `templates/confirm.mjml` for one pending subscription and sends it.
 * Called after the signup transaction has committed; the caller logs a failure and the signup stays
 * `pending`, so a re-signup (which issues a fresh token) retries the email.
 * Side effects: one email through `deps.mailer`. Transactional mail: no List-Unsubscribe headers.
 * @throws the mailer's error when the send fails, or an AppError VALIDATION if the template is broken.
 */
export async function sendConfirmation(deps: Deps, request: ConfirmationRequest): Promise<void> {
  renderer ??= createRenderer({ includesDir: templatesDir });
  const compiled = await renderer.compile(await readTemplateFile('confirm'));
  const { subscription } = request;
  const email = renderer.render(compiled, {
    shopName: deps.config.shopName,
    productName: request.productName,
    name: subscription.name,
    locale: subscription.locale ?? 'en',
    confirmUrl: confirmUrl(deps.config.publicBaseUrl, request.token),
    ttlHours: Math.round(deps.config.signup.confirmTokenTtlHours * 10) / 10,
    footerNote: 'You get this email because someone entered this address on our "notify me" form.',
  });
  await deps.mailer.send({ to: subscription.email, subject: email.subject, html: email.html, text: email.text });
}
