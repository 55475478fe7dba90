import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { withTx } from '../../db/transaction.js';
import { subscriptions, suppressions, type Subscription } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { findSubscriptionWithProduct } from './find-subscription.js';
import { verifyUnsubscribeToken } from './tokens.js';

export type UnsubscribeScope = 'sku' | 'all';

export type UnsubscribeResult = {
  subscription: Subscription;
  productName: string;
  /** True when the subscription was already unsubscribed (the call is idempotent). */
  already: boolean;
  /** How many other subscriptions of the address were ended too (scope `all`). */
  othersUnsubscribed: number;
};

/**
 * Ends the subscription an unsubscribe token names. Idempotent: repeating it changes nothing.
 * With scope `all` the normalized address is also added to `suppressions` (reason `unsubscribe-all`)
 * and every other pending/active subscription of the address is ended, so no SKU mails it again and a
 * later signup must be confirmed by email.
 * @throws AppError INVALID_TOKEN (404) for a malformed or forged token or a subscription that no longer exists.
 */
export async function unsubscribe(
  ctx: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { token: string; scope?: UnsubscribeScope },
): Promise<UnsubscribeResult> {
  const { token, scope = 'sku' } = input;
  const id = verifyUnsubscribeToken(ctx.config.appSecret, token);
  if (id === undefined) throw new AppError('INVALID_TOKEN', 'This unsubscribe link is not valid.');
  const now = ctx.clock.now();
  return withTx(ctx.db, async (tx) => {
    const row = await findSubscriptionWithProduct({ db: tx }, { where: eq(subscriptions.id, id), lock: true });
    if (!row) throw new AppError('INVALID_TOKEN', 'This unsubscribe link is no longer valid.');
    const already = row.subscription.status === 'unsubscribed';
    let subscription = row.subscription;
    if (!already) {
      const [updated] = await tx
        .update(subscriptions)
        .set({ status: 'unsubscribed', unsubscribedAt: now, confirmExpiresAt: null })
        .where(eq(subscriptions.id, id))
        .returning();
      subscription = updated ?? subscription;
    }
    let othersUnsubscribed = 0;
    if (scope === 'all') {
      await tx
        .insert(suppressions)
        .values({ email: subscription.emailNormalized, reason: 'unsubscribe-all', createdAt: now })
        .onConflictDoNothing({ target: suppressions.email });
      const others = await tx
        .update(subscriptions)
        .set({ status: 'unsubscribed', unsubscribedAt: now, confirmExpiresAt: null })
        .where(
          and(
            eq(subscriptions.emailNormalized, subscription.emailNormalized),
            ne(subscriptions.id, id),
            inArray(subscriptions.status, ['pending', 'active']),
          ),
        )
        .returning({ id: subscriptions.id });
      othersUnsubscribed = others.length;
    }
    return { subscription, productName: row.productName, already, othersUnsubscribed };
  });
}
