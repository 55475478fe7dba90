import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import type { Outbox } from '../../ledger/outbox.js';
import { withTx } from '../../db/transaction.js';
import { products, subscriptions, suppressions, type Subscription } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { decideSignup } from './decide-signup.js';
import type { BatchedSignup, MailboxLimit, NewSignup } from './insert-signup-batch.js';
import { issueConfirmation } from './queue-confirmation.js';
import { isSafeText, LanguageTag, PersonName, safeText, Sku } from '../validation/text.js';
import type { ValidEmail } from '../../mail/address.js';

/**
 * THE signup input's field rules (the JSON API and the HTML form post share them: `SignupBody` in
 * src/http/api/signup-shared.ts is this shape plus the honeypot). Blank optional fields (an HTML form
 * left empty) mean "not given".
 */
export const SignupInput = z.object({
  email: z.string().max(1000).refine(isSafeText, 'must not contain control characters'),
  sku: Sku,
  locale: z.union([z.literal(''), LanguageTag]).optional(),
  name: PersonName.optional(),
  source: safeText({ max: 100 }).optional(),
});
export type SignupInput = z.infer<typeof SignupInput>;

export type SignupResult = {
  /** `created`: a new row (HTTP 201). `existing`: the shopper already had a row for this SKU (HTTP 200). */
  outcome: 'created' | 'existing';
  subscription: Subscription;
  /** True when a confirmation email was due: it is on the delivery ledger (committed) and being sent. */
  confirmationQueued: boolean;
};

/** What createSignup needs from the process: a way to wake the sender, and (optionally) the group commit. */
export type SignupPorts = {
  /** Wakes the sender's transactional lane; must not throw or wait for SMTP. */
  notify(): void;
  /** Group commit of new rows (src/services.ts's batcher over `insertSignupBatch`); absent → one transaction per signup. */
  batch?: (signup: NewSignup) => Promise<BatchedSignup>;
};

/** What `createSignup` uses: config, database, clock, the process's signup ports and the outbox. */
export type SignupCtx = Pick<Deps, 'config' | 'db' | 'clock'> & {
  signups: SignupPorts;
  outbox: Pick<Outbox, 'enqueue'>;
};

/**
 * A signup whose fields have passed `SignupInput` (parsed by the route with `SignupBody`) and whose
 * address `validateEmail` (the per-address rate limit needs the validated address first, so the route
 * validates it and this verb does not do it twice). Blank optional fields are not given. `limit`: the
 * per-mailbox limits still to count (PostgreSQL: by the group commit's statement; see `MailboxLimit`).
 */
export type ValidSignup = Omit<SignupInput, 'email'> & ValidEmail & { limit?: MailboxLimit };

/**
 * Signs a shopper up for one SKU.
 *
 * Rules: `decideSignup` (decide-signup.ts); the database decides uniqueness (INSERT … ON CONFLICT DO
 * NOTHING on (normalized email, sku)). A renewed or re-armed row gets a fresh confirmation link; the
 * earlier links stay valid until they expire. `confirmed_at` is cleared on re-arm so the restock
 * queue order follows the new consent.
 * New rows are group-committed with the signups arriving alongside (`ctx.signups.batch`); this resolves
 * only after that commit.
 * Side effects: the confirmation link and email's ledger row commit with the subscription; after the
 * commit `ctx.signups.notify()` wakes the sender without waiting for SMTP.
 * @throws AppError UNKNOWN_SKU, IN_STOCK.
 */
export async function createSignup(ctx: SignupCtx, signup: ValidSignup): Promise<SignupResult> {
  const input = { ...signup, locale: blank(signup.locale), name: blank(signup.name), source: blank(signup.source) };
  const { email, normalized } = input;
  const { config, clock, signups: ports } = ctx;
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + config.signup.confirmTokenTtlHours * 3_600_000);
  const rules = { doubleOptIn: config.signup.doubleOptIn, minQuantity: config.restock.minQuantity };

  // Group commit: a new row is inserted together with the signups arriving alongside it. An existing
  // row takes the path below.
  const batched: BatchedSignup = ports.batch
    ? await ports.batch({
        config,
        email,
        normalized,
        sku: input.sku,
        locale: input.locale,
        name: input.name,
        source: input.source,
        now,
        expiresAt,
        limit: signup.limit,
      })
    : { kind: 'existing', counted: false };
  // The batch did not run (or there is none): the limits are counted here, before anything is stored.
  if (batched.kind === 'existing' && !batched.counted) await signup.limit?.countAlone();

  const result =
    batched.kind === 'created'
      ? {
          outcome: 'created' as const,
          subscription: batched.subscription,
          confirmationQueued: batched.confirmationQueued,
          workersWoken: batched.workersWoken,
        }
      : await withTx(ctx.db, async (tx) => {
          const [product] = await tx.select().from(products).where(eq(products.sku, input.sku));
          const [suppressed] = await tx
            .select({ email: suppressions.email })
            .from(suppressions)
            .where(eq(suppressions.email, normalized));
          const isSuppressed = suppressed !== undefined;
          const fresh = decideSignup(input.sku, product, isSuppressed, undefined, rules);
          if (fresh.action === 'keep') throw new Error('unreachable: a new row is never kept');
          const confirmFields = {
            status: fresh.status,
            confirmExpiresAt: fresh.needsConfirmation ? expiresAt : null,
            confirmedAt: fresh.needsConfirmation ? null : now,
          };
          const confirmIn = async (subscription: Subscription, needsConfirmation: boolean) => {
            if (needsConfirmation)
              await issueConfirmation({ ...ctx, db: tx }, { subscription, productName: fresh.productName, expiresAt });
            return needsConfirmation;
          };

          const [inserted] = await tx
            .insert(subscriptions)
            .values({
              email,
              emailNormalized: normalized,
              sku: input.sku,
              locale: input.locale,
              name: input.name,
              source: input.source,
              createdAt: now,
              ...confirmFields,
            })
            .onConflictDoNothing({ target: [subscriptions.emailNormalized, subscriptions.sku] })
            .returning();
          if (inserted)
            return {
              outcome: 'created' as const,
              subscription: inserted,
              confirmationQueued: await confirmIn(inserted, fresh.needsConfirmation),
            };

          // The row exists (possibly inserted by a concurrent request that just committed): lock it and
          // decide from its status.
          const [existing] = await tx
            .select()
            .from(subscriptions)
            .where(and(eq(subscriptions.emailNormalized, normalized), eq(subscriptions.sku, input.sku)))
            .for('update');
          if (!existing) throw new AppError('CONFLICT', 'The subscription changed concurrently; try again.');
          const decision = decideSignup(input.sku, product, isSuppressed, existing, rules);
          if (decision.action === 'keep')
            return { outcome: 'existing' as const, subscription: existing, confirmationQueued: false };

          // Same rules as a new row: pending + fresh link when confirmation is due, else active. A
          // pending row re-signed after double opt-in was switched off therefore becomes active.
          const [updated] = await tx
            .update(subscriptions)
            .set({
              ...confirmFields,
              email,
              locale: input.locale ?? existing.locale,
              name: input.name ?? existing.name,
              ...(decision.action === 'rearm' ? { unsubscribedAt: null, notifiedAt: null } : {}),
            })
            .where(eq(subscriptions.id, existing.id))
            .returning();
          const subscription = updated ?? existing;
          return {
            outcome: 'existing' as const,
            subscription,
            confirmationQueued: await confirmIn(subscription, decision.needsConfirmation),
          };
        });

  // The email is durable on the ledger already: send it now, but do not make the shopper (or a signup
  // burst) wait for SMTP. A failed send is retried by the ledger. A batch that woke the workers with
  // its own commit (ROLE=web) needs no second wake-up.
  if (result.confirmationQueued && !('workersWoken' in result && result.workersWoken)) ports.notify();
  const { outcome, subscription, confirmationQueued } = result;
  return { outcome, subscription, confirmationQueued };
}

/** HTML forms send empty strings for fields left blank: those mean "not given". */
function blank(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
