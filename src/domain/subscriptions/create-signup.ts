import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { withTx } from '../../db/transaction.js';
import { products, subscriptions, suppressions, type Subscription } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { queueConfirmation } from './send-confirmation.js';
import { signupBatcherFor } from './signup-batcher.js';
import { createRandomToken } from './tokens.js';
import { validateEmail } from './validate-email.js';

export const SignupInput = z.object({
  email: z.string().max(1000),
  sku: z.string().trim().min(1).max(200),
  locale: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag like en or de-CH')
    .max(35)
    .optional(),
  name: z.string().trim().max(200).optional(),
  source: z.string().trim().max(100).optional(),
});
export type SignupInput = z.infer<typeof SignupInput>;

export type SignupResult = {
  /** `created`: a new row (HTTP 201). `existing`: the shopper already had a row for this SKU (HTTP 200). */
  outcome: 'created' | 'existing';
  subscription: Subscription;
  /** True when a confirmation email was due: it is on the delivery ledger (committed) and being sent. */
  confirmationQueued: boolean;
};

/**
 * Signs a shopper up for one SKU.
 *
 * Rules (the database decides uniqueness: INSERT … ON CONFLICT DO NOTHING on (normalized email, sku)):
 * - new row: `pending` + a confirmation token when double opt-in is on OR the address is suppressed,
 *   else `active`;
 * - existing `pending`: a fresh token replaces the old one and the email is sent again (this is how a
 *   failed confirmation send is retried);
 * - existing `active`: unchanged, unless the address is suppressed (then back to `pending` + email);
 * - existing `unsubscribed` or `notified`: re-armed by the same rules as a new row — a shopper who
 *   withdrew consent, or was already told about a restock, must opt in again to be emailed again.
 *   `confirmed_at` is cleared so the restock queue order follows the new consent.
 * New rows are group-committed with the signups arriving alongside (signup-batcher.ts); this
 * resolves only after that commit.
 * Side effects: the confirmation email's ledger row commits with the subscription; after the commit the
 * sender's transactional lane is kicked without waiting for SMTP (`deps.sender.idle()` waits for it).
 * @throws AppError VALIDATION (bad input, with details), UNKNOWN_SKU, IN_STOCK.
 */
export async function createSignup(deps: Deps, rawInput: SignupInput): Promise<SignupResult> {
  const parsed = SignupInput.safeParse(rawInput);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The signup is not valid.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const input = parsed.data;
  const { email, normalized } = validateEmail(input.email, { allowIpLiteral: deps.config.signup.allowIpLiteralEmails });
  const { config, clock } = deps;
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + config.signup.confirmTokenTtlHours * 3_600_000);

  // The confirmation email's ledger row commits together with the subscription change that needs it.
  const confirmIn = async <R extends { subscription: Subscription; token?: string; productName: string }>(tx: Db, r: R): Promise<R> => {
    if (r.token) await queueConfirmation(deps, { subscription: r.subscription, productName: r.productName, token: r.token }, tx);
    return r;
  };

  // Group commit (see signup-batcher.ts): a new row is inserted together with the signups arriving
  // alongside it. An existing row, or a caller already inside a transaction, takes the path below.
  const batched =
    deps.db === deps.database.db
      ? await signupBatcherFor(deps).insert({
          deps,
          email,
          normalized,
          sku: input.sku,
          locale: input.locale,
          name: input.name,
          source: input.source,
          now,
          expiresAt,
        })
      : ({ kind: 'existing' } as const);

  const result = batched.kind === 'created' ? { outcome: 'created' as const, ...batched } : await withTx(deps.db, async (tx) => {
    const [product] = await tx.select().from(products).where(eq(products.sku, input.sku));
    if (!product) throw new AppError('UNKNOWN_SKU', `No product with SKU "${input.sku}".`);
    if (product.quantity >= config.restock.minQuantity) {
      throw new AppError('IN_STOCK', `"${product.name}" is in stock: buy it now instead of waiting.`);
    }
    const [suppressed] = await tx.select({ email: suppressions.email }).from(suppressions).where(eq(suppressions.email, normalized));
    const needsConfirm = config.signup.doubleOptIn || suppressed !== undefined;
    const token = needsConfirm ? createRandomToken() : undefined;
    const confirmFields = {
      status: needsConfirm ? ('pending' as const) : ('active' as const),
      confirmTokenHash: token?.hash ?? null,
      confirmExpiresAt: token ? expiresAt : null,
      confirmedAt: needsConfirm ? null : now,
    };

    const [inserted] = await tx
      .insert(subscriptions)
      .values({ email, emailNormalized: normalized, sku: input.sku, locale: input.locale, name: input.name, source: input.source, createdAt: now, ...confirmFields })
      .onConflictDoNothing({ target: [subscriptions.emailNormalized, subscriptions.sku] })
      .returning();
    if (inserted) return confirmIn(tx, { outcome: 'created' as const, subscription: inserted, token: token?.token, productName: product.name });

    // The row exists (possibly inserted by a concurrent request that just committed): lock it and
    // decide from its status.
    const [existing] = await tx
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.emailNormalized, normalized), eq(subscriptions.sku, input.sku)))
      .for('update');
    if (!existing) throw new AppError('CONFLICT', 'The subscription changed concurrently; try again.');

    const rearm = existing.status === 'unsubscribed' || existing.status === 'notified';
    const renewToken = existing.status === 'pending' || (suppressed !== undefined && existing.status === 'active');
    if (!rearm && !renewToken) return { outcome: 'existing' as const, subscription: existing, token: undefined, productName: product.name };

    // Same rules as a new row (confirmFields): pending + fresh token when confirmation is due, else
    // active. A pending row re-signed after double opt-in was switched off therefore becomes active.
    const [updated] = await tx
      .update(subscriptions)
      .set({
        ...confirmFields,
        email,
        locale: input.locale ?? existing.locale,
        name: input.name ?? existing.name,
        ...(rearm ? { unsubscribedAt: null, notifiedAt: null } : {}),
      })
      .where(eq(subscriptions.id, existing.id))
      .returning();
    return confirmIn(tx, { outcome: 'existing' as const, subscription: updated ?? existing, token: token?.token, productName: product.name });
  });

  // The email is durable on the ledger already: send it now, but do not make the shopper (or a signup
  // burst) wait for SMTP. The kick never rejects; a failed send is retried by the ledger.
  const confirmationQueued = result.token !== undefined;
  if (confirmationQueued) void deps.sender.kick(deps);
  return { outcome: result.outcome, subscription: result.subscription, confirmationQueued };
}
