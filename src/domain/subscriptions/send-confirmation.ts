import { createHash } from 'node:crypto';
import type { Deps } from '../../deps.js';
import type { Db } from '../../db/client.js';
import { enqueueDelivery, type EnqueueDeliveryInput } from '../notifications/enqueue-delivery.js';

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
 * The ledger row of one pending subscription's confirmation email (`templates/confirm.mjml`).
 * Dedupe key `confirm:<subscription id>:<token hash prefix>`: one email per issued token.
 * Transactional mail: sent even to a suppressed address (re-confirming is how one gets off the list),
 * no List-Unsubscribe headers. The raw token sits in the row's variables until the row is final
 * (`_scrub` removes it then).
 */
export function confirmationDelivery(deps: Pick<Deps, 'config'>, request: ConfirmationRequest): EnqueueDeliveryInput {
  const { subscription } = request;
  return {
    dedupeKey: confirmationDedupeKey(subscription.id, request.token),
    to: subscription.email,
    templateKey: 'confirm',
    locale: subscription.locale,
    subscriptionId: subscription.id,
    transactional: true,
    variables: confirmationVariables(deps, { productName: request.productName, name: subscription.name, token: request.token }),
  };
}

/** `confirm:<subscription id>:<token id>`; the token id is a hash prefix (the raw token is not a key). */
export function confirmationDedupeKey(subscriptionId: number | string, token: string): string {
  return `confirm:${subscriptionId}:${confirmationTokenId(token)}`;
}

export function confirmationTokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

/** The template variables of a confirmation email (they do not depend on the subscription id). */
export function confirmationVariables(
  deps: Pick<Deps, 'config'>,
  request: { productName: string; name: string | null | undefined; token: string },
): Record<string, unknown> {
  return {
    productName: request.productName,
    name: request.name ?? null,
    confirmUrl: confirmUrl(deps.config.publicBaseUrl, request.token),
    ttlHours: Math.round(deps.config.signup.confirmTokenTtlHours * 10) / 10,
    footerNote: 'You get this email because someone entered this address on our "notify me" form.',
    _scrub: ['confirmUrl'],
  };
}

/**
 * Queues the confirmation email on the delivery ledger inside the signup's transaction (`db`), so the
 * commit that creates or re-arms the subscription also makes its email durable. The caller kicks the
 * sender's transactional lane after the commit; a failed send is retried by the ledger (4xx/network)
 * with backoff like any delivery.
 * @throws a database error when the row cannot be written (the signup transaction fails with it).
 */
export async function queueConfirmation(deps: Deps, request: ConfirmationRequest, db: Db): Promise<void> {
  await enqueueDelivery(deps, confirmationDelivery(deps, request), db);
}
