import { eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { products, subscriptions, type Subscription } from '../../db/schema/index.js';

export type SubscriptionWithProduct = { subscription: Subscription; productName: string };

/**
 * The subscription matching `where` with its product's name (the pages and emails name the product).
 * `input.lock` takes a row lock on the subscription (FOR UPDATE OF subscriptions) for a state change
 * in the caller's transaction.
 */
export async function findSubscriptionWithProduct(
  ctx: { db: Db },
  input: { where: SQL; lock?: boolean },
): Promise<SubscriptionWithProduct | undefined> {
  const { where } = input;
  const query = ctx.db
    .select({ subscription: subscriptions, productName: products.name })
    .from(subscriptions)
    .innerJoin(products, eq(products.sku, subscriptions.sku))
    .where(where);
  const [row] = input.lock ? await query.for('update', { of: subscriptions }) : await query;
  return row;
}
