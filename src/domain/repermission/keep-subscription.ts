import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { subscriptions } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import { findSubscriptionWithProduct, type SubscriptionWithProduct } from '../subscriptions/find-subscription.js';
import { verifyKeepToken } from './keep-token.js';

export type KeepOutcome = 'kept' | 'not-waiting';

/**
 * Read-only: the subscription a keep link names (for the page with the button; a GET never records).
 * @throws AppError INVALID_TOKEN (404) for a malformed or forged token or a subscription that is gone.
 */
export async function lookupKeep(
  ctx: Pick<Deps, 'db' | 'config'>,
  input: { token: string },
): Promise<SubscriptionWithProduct> {
  const { token } = input;
  const id = verifyKeepToken(ctx.config.appSecret, token);
  if (id === undefined) throw new AppError('INVALID_TOKEN', 'This link is not valid.');
  const row = await findSubscriptionWithProduct({ db: ctx.db }, { where: eq(subscriptions.id, id) });
  if (!row) throw new AppError('INVALID_TOKEN', 'This link is no longer valid.');
  return row;
}

/**
 * Records "yes, keep me on the list": an active subscription's waiting period restarts now
 * (`consent_renewed_at`) and the pending question is cleared, so it is not unsubscribed. Idempotent (a
 * second click renews again, harmlessly). A subscription that is no longer waiting (unsubscribed,
 * notified, pending) is left alone: `not-waiting` (the page offers to sign up again).
 * @throws AppError INVALID_TOKEN as `lookupKeep`.
 */
export async function keepSubscription(
  ctx: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { token: string },
): Promise<SubscriptionWithProduct & { outcome: KeepOutcome }> {
  const { token } = input;
  const id = verifyKeepToken(ctx.config.appSecret, token);
  if (id === undefined) throw new AppError('INVALID_TOKEN', 'This link is not valid.');
  return withTx(ctx.db, async (tx) => {
    const row = await findSubscriptionWithProduct({ db: tx }, { where: eq(subscriptions.id, id), lock: true });
    if (!row) throw new AppError('INVALID_TOKEN', 'This link is no longer valid.');
    if (row.subscription.status !== 'active') return { ...row, outcome: 'not-waiting' as const };
    const [updated] = await tx
      .update(subscriptions)
      .set({ consentRenewedAt: ctx.clock.now(), repermissionAskedAt: null })
      .where(eq(subscriptions.id, id))
      .returning();
    return { subscription: updated ?? row.subscription, productName: row.productName, outcome: 'kept' as const };
  });
}
