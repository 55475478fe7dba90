import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { withTx } from '../../db/transaction.js';
import { subscriptions, suppressions, type Subscription } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { findSubscriptionWithProduct } from './find-subscription.js';
import { hashToken } from './tokens.js';

export type ConfirmResult = { subscription: Subscription; productName: string; suppressionLifted: boolean };

/**
 * Confirms a pending signup from the single-use token in the confirmation email.
 * Side effects: status `active`, `confirmed_at` set, the token hash cleared (so the link works once),
 * and any suppression of the address lifted — clicking the link is the fresh, explicit consent that
 * a suppressed address needs.
 * @throws AppError INVALID_TOKEN (404) for an unknown or already used token, TOKEN_EXPIRED (410) after
 * `CONFIRM_TOKEN_TTL_HOURS`.
 */
export async function confirmSignup(deps: Deps, token: string): Promise<ConfirmResult> {
  const hash = hashToken(token);
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const row = await findSubscriptionWithProduct(tx, eq(subscriptions.confirmTokenHash, hash), { lock: true });
    if (!row || row.subscription.status !== 'pending') {
      throw new AppError('INVALID_TOKEN', 'This confirmation link is not valid or was already used.');
    }
    if (!row.subscription.confirmExpiresAt || row.subscription.confirmExpiresAt.getTime() <= now.getTime()) {
      throw new AppError('TOKEN_EXPIRED', 'This confirmation link has expired. Sign up again to get a new one.');
    }
    const [subscription] = await tx
      .update(subscriptions)
      .set({ status: 'active', confirmedAt: now, confirmTokenHash: null, confirmExpiresAt: null })
      .where(eq(subscriptions.id, row.subscription.id))
      .returning();
    const lifted = await tx
      .delete(suppressions)
      .where(eq(suppressions.email, row.subscription.emailNormalized))
      .returning({ email: suppressions.email });
    return { subscription: subscription ?? row.subscription, productName: row.productName, suppressionLifted: lifted.length > 0 };
  });
}
