import type { Subscription } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

export type SignupRules = { doubleOptIn: boolean; minQuantity: number };

/**
 * What a signup does to the subscriptions table:
 * - `create`: no row yet → insert one (`pending` + a confirmation link, or `active`);
 * - `renew`: a `pending` row (or an `active` one whose address is now suppressed) → a fresh link and email;
 * - `rearm`: an `unsubscribed`/`notified` row → the same rules as a new row (consent again);
 * - `keep`: an `active` row stays as it is.
 */
export type SignupDecision =
  | {
      action: 'create' | 'renew' | 'rearm';
      status: 'pending' | 'active';
      needsConfirmation: boolean;
      productName: string;
    }
  | { action: 'keep'; productName: string };

/**
 * The signup rule, pure (both the one-signup path and the group-commit batch use it).
 * Confirmation is due under double opt-in, or for a suppressed address whatever the setting: a
 * suppressed address must prove fresh consent before it is mailed again.
 * @throws AppError UNKNOWN_SKU (no such product), IN_STOCK (quantity ≥ RESTOCK_MIN_QUANTITY).
 */
export function decideSignup(
  sku: string,
  product: { name: string; quantity: number } | undefined,
  suppressed: boolean,
  existing: Pick<Subscription, 'status'> | undefined,
  rules: SignupRules,
): SignupDecision {
  if (!product) throw new AppError('UNKNOWN_SKU', `No product with SKU "${sku}".`);
  if (product.quantity >= rules.minQuantity)
    throw new AppError('IN_STOCK', `"${product.name}" is in stock: buy it now instead of waiting.`);
  const confirm = needsConfirmation(rules, suppressed);
  const status = confirm ? ('pending' as const) : ('active' as const);
  if (!existing) return { action: 'create', status, needsConfirmation: confirm, productName: product.name };
  if (existing.status === 'unsubscribed' || existing.status === 'notified')
    return { action: 'rearm', status, needsConfirmation: confirm, productName: product.name };
  if (existing.status === 'pending' || (suppressed && existing.status === 'active'))
    return { action: 'renew', status, needsConfirmation: confirm, productName: product.name };
  return { action: 'keep', productName: product.name };
}

/** Whether a signup must confirm by email: under double opt-in, or for a suppressed address whatever the setting. */
export function needsConfirmation(rules: Pick<SignupRules, 'doubleOptIn'>, suppressed: boolean): boolean {
  return rules.doubleOptIn || suppressed;
}
