import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { withTx } from '../../db/transaction.js';
import { confirmationTokens, subscriptions, suppressions, type Subscription } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { findSubscriptionWithProduct } from './find-subscription.js';
import { hashToken } from './tokens.js';

/** `confirmed`: this click confirmed the signup. `already`: it was confirmed before (a second click, a link scanner). */
export type ConfirmResult = {
  outcome: 'confirmed' | 'already';
  subscription: Subscription;
  productName: string;
  suppressionLifted: boolean;
};

/**
 * Confirms a pending signup from a token in one of its confirmation emails. Every link issued stays
 * valid until its own expiry, also after a newer one was sent (the shopper may click any email).
 * Side effects: status `active`, `confirmed_at` set, and any suppression of the address lifted —
 * clicking the link is the fresh, explicit consent that a suppressed address needs.
 * A link of a subscription that is already confirmed (`active`, or `notified` since) answers
 * `already` and changes nothing.
 * @throws AppError INVALID_TOKEN (404) for an unknown token or one whose subscription was
 * unsubscribed since; TOKEN_EXPIRED (410) after `CONFIRM_TOKEN_TTL_HOURS`.
 */
export async function confirmSignup(ctx: Pick<Deps, 'db' | 'clock'>, input: { token: string }): Promise<ConfirmResult> {
  const { token } = input;
  const hash = hashToken(token);
  const now = ctx.clock.now();
  return withTx(ctx.db, async (tx) => {
    const [link] = await tx.select().from(confirmationTokens).where(eq(confirmationTokens.tokenHash, hash));
    const row =
      link &&
      (await findSubscriptionWithProduct({ db: tx }, { where: eq(subscriptions.id, link.subscriptionId), lock: true }));
    if (!link || !row) throw new AppError('INVALID_TOKEN', 'This confirmation link is not valid.');
    const { status } = row.subscription;
    if (status === 'active' || status === 'notified') {
      return {
        outcome: 'already',
        subscription: row.subscription,
        productName: row.productName,
        suppressionLifted: false,
      };
    }
    if (link.expiresAt.getTime() <= now.getTime()) {
      throw new AppError('TOKEN_EXPIRED', 'This confirmation link has expired. Sign up again to get a new one.');
    }
    if (status !== 'pending') throw new AppError('INVALID_TOKEN', 'This confirmation link is no longer valid.');
    const [subscription] = await tx
      .update(subscriptions)
      .set({ status: 'active', confirmedAt: now, confirmExpiresAt: null })
      .where(eq(subscriptions.id, row.subscription.id))
      .returning();
    const lifted = await tx
      .delete(suppressions)
      .where(eq(suppressions.email, row.subscription.emailNormalized))
      .returning({ email: suppressions.email });
    return {
      outcome: 'confirmed',
      subscription: subscription ?? row.subscription,
      productName: row.productName,
      suppressionLifted: lifted.length > 0,
    };
  });
}
