import type { Config } from '../../config.js';
import type { Deps } from '../../deps.js';
import { confirmationTokens } from '../../db/schema/index.js';
import type { Outbox } from '../../ledger/outbox.js';
import { confirmation } from '../../ledger/kinds/index.js';
import { createRandomToken } from './tokens.js';

export type ConfirmationRequest = {
  subscription: { id: number; email: string; name: string | null; locale: string | null };
  productName: string;
  expiresAt: Date;
};

function confirmUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/confirm?token=${encodeURIComponent(token)}`;
}

/** The per-link discriminator in the confirmation's dedupe key: a hash prefix (the raw token is not a key). */
export function confirmationTokenId(tokenHash: string): string {
  return tokenHash.slice(0, 16);
}

/**
 * The template variables of a confirmation email (they do not depend on the subscription id).
 * `name` is always null here: the confirmation goes to an address that has not agreed to anything
 * yet, and the name was typed by whoever submitted the form — a name slot in a mail sent from the
 * shop's domain is a phishing channel ("Hello there! Your account is locked…"). Later emails go to
 * a mailbox owner who confirmed, and their names are restricted to `PersonName`.
 */
export function confirmationVariables(
  config: Pick<Config, 'publicBaseUrl' | 'signup'>,
  request: { productName: string; token: string },
): Record<string, unknown> {
  return {
    productName: request.productName,
    name: null,
    confirmUrl: confirmUrl(config.publicBaseUrl, request.token),
    ttlHours: Math.round(config.signup.confirmTokenTtlHours * 10) / 10,
  };
}

/**
 * Issues a new confirmation link for a pending subscription inside the signup's transaction (`ctx.db`):
 * records the token's hash (valid until `expiresAt`, alongside any earlier links) and queues the
 * email on the delivery ledger, so the commit that creates or re-arms the subscription also makes its
 * email durable. The caller wakes the sender after the commit; a failed send is retried by the ledger.
 * @throws a database error when a row cannot be written (the signup transaction fails with it).
 */
export async function issueConfirmation(
  ctx: Pick<Deps, 'config' | 'clock' | 'db'> & { outbox: Pick<Outbox, 'enqueue'> },
  request: ConfirmationRequest,
): Promise<void> {
  const { token, hash } = createRandomToken();
  const { subscription } = request;
  await ctx.db.insert(confirmationTokens).values({
    tokenHash: hash,
    subscriptionId: subscription.id,
    expiresAt: request.expiresAt,
    createdAt: ctx.clock.now(),
  });
  await ctx.outbox.enqueue(ctx.db, confirmation, {
    to: subscription.email,
    locale: subscription.locale,
    subscriptionId: subscription.id,
    nonce: confirmationTokenId(hash),
    variables: confirmationVariables(ctx.config, { productName: request.productName, token }),
  });
}
