import { createHash } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { enqueueDelivery } from '../notifications/enqueue-delivery.js';

export type ConfirmationRequest = {
  subscription: { id: number; email: string; name: string | null; locale: string | null };
  productName: string;
  /** The raw single-use token (only its hash is stored). */
  token: string;
};

export function confirmUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/confirm?token=${encodeURIComponent(token)}`;
}

/**
 * Puts the confirmation email (`templates/confirm.mjml`) for one pending subscription on the delivery
 * ledger and sends it at once through the sender's transactional lane; resolves once that pass is
 * over. Called after the signup transaction has committed. A failed send is not lost: the ledger
 * retries it (4xx/network) with backoff like any delivery.
 * Dedupe key `confirm:<subscription id>:<token hash prefix>`: one email per issued token.
 * Transactional mail: sent even to a suppressed address (re-confirming is how one gets off the list),
 * no List-Unsubscribe headers. The raw token sits in the row's variables until the row is final
 * (`_scrub` removes it then).
 * @throws a database error when the row cannot be written (the caller logs it; the signup stays).
 */
export async function sendConfirmation(deps: Deps, request: ConfirmationRequest): Promise<void> {
  const { subscription } = request;
  const tokenId = createHash('sha256').update(request.token).digest('hex').slice(0, 16);
  await enqueueDelivery(deps, {
    dedupeKey: `confirm:${subscription.id}:${tokenId}`,
    to: subscription.email,
    templateKey: 'confirm',
    locale: subscription.locale,
    subscriptionId: subscription.id,
    transactional: true,
    variables: {
      productName: request.productName,
      name: subscription.name,
      confirmUrl: confirmUrl(deps.config.publicBaseUrl, request.token),
      ttlHours: Math.round(deps.config.signup.confirmTokenTtlHours * 10) / 10,
      footerNote: 'You get this email because someone entered this address on our "notify me" form.',
      _scrub: ['confirmUrl'],
    },
  });
  await deps.sender.kick(deps);
}
