import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { subscriptions, type Subscription } from '../../db/schema/index.js';
import { findSubscriptionWithProduct } from './find-subscription.js';
import { AppError } from '../../errors.js';
import { verifyUnsubscribeToken } from './tokens.js';

/**
 * Read-only: the subscription an unsubscribe token names, for the confirm-button page (a GET must
 * never unsubscribe: mail scanners prefetch links).
 * @throws AppError INVALID_TOKEN (404) for a malformed or forged token or a subscription that is gone.
 */
export async function lookupUnsubscribe(
  ctx: Pick<Deps, 'db' | 'config'>,
  input: { token: string },
): Promise<{ subscription: Subscription; productName: string }> {
  const { token } = input;
  const id = verifyUnsubscribeToken(ctx.config.appSecret, token);
  if (id === undefined) throw new AppError('INVALID_TOKEN', 'This unsubscribe link is not valid.');
  const row = await findSubscriptionWithProduct({ db: ctx.db }, { where: eq(subscriptions.id, id) });
  if (!row) throw new AppError('INVALID_TOKEN', 'This unsubscribe link is no longer valid.');
  return row;
}
