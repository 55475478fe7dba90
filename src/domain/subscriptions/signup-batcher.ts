import { inArray } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import type { Database } from '../../db/client.js';
import { withTx } from '../../db/transaction.js';
import { products, subscriptions, suppressions, type Subscription } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { enqueueDeliveries, type EnqueueDeliveryInput } from '../notifications/enqueue-delivery.js';
import { confirmationDelivery } from './send-confirmation.js';
import { createRandomToken } from './tokens.js';

/** A signup that passed validation: everything the INSERT needs. */
export type NewSignup = {
  /** The caller's deps: its config decides the rules (a test may run two configs over one database). */
  deps: Deps;
  email: string;
  normalized: string;
  sku: string;
  locale?: string;
  name?: string;
  source?: string;
  now: Date;
  expiresAt: Date;
};

/**
 * `created`: the row and, when a token was issued, its confirmation email's ledger row are committed
 * (the caller may answer 201 and kick the sender). `existing`: a row for this address and
 * SKU already existed, or the batch could not run — the caller takes its one-signup path, which decides
 * from the existing row and isolates any error to this signup alone.
 */
export type BatchedSignup =
  | { kind: 'created'; subscription: Subscription; token?: string; productName: string }
  | { kind: 'existing' };

type Item = { signup: NewSignup; resolve(r: BatchedSignup): void; reject(e: unknown): void };

/** Most rows one INSERT carries (≈ 12 parameters each; far below PostgreSQL's 65,535 limit). */
const MAX_BATCH = 500;
/**
 * Batches in flight at once. One would leave the pool idle while a commit waits on WAL flush; a few
 * let the next batch fill and run meanwhile. PGlite has one connection, so one is all it can use.
 */
const IN_FLIGHT: Record<Database['kind'], number> = { postgres: 3, pglite: 1 };

export type SignupBatcher = {
  insert(signup: NewSignup): Promise<BatchedSignup>;
  /** Batches committed and signups they carried (how well grouping works; for tests and metrics). */
  readonly stats: { batches: number; signups: number };
};

/**
 * Group commit for signups. Under load every signup paying its own transaction and WAL flush is what
 * limits throughput, so signups that arrive while earlier batches are committing wait (at most one
 * commit, typically a millisecond or two) and are then inserted together: one transaction, one
 * multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING`, one commit. Each caller's promise settles only
 * after that commit, so nothing acknowledged can be lost. When idle, a signup is flushed at the next
 * turn of the event loop (no timer): batching adds no latency at low load.
 *
 * Failures stay per signup: input is validated before it gets here; unknown/in-stock SKUs are rejected
 * per item (AppError UNKNOWN_SKU / IN_STOCK) without touching the others; if the batch statement itself
 * fails, every item falls back to the caller's one-signup path (`existing`), where an error belongs to
 * that signup only.
 */
export function createSignupBatcher(deps: Pick<Deps, 'db' | 'database' | 'log'>): SignupBatcher {
  const queue: Item[] = [];
  let inFlight = 0;
  let scheduled = false;
  const maxInFlight = IN_FLIGHT[deps.database.kind];
  const stats = { batches: 0, signups: 0 };

  const schedule = () => {
    if (scheduled || inFlight >= maxInFlight || queue.length === 0) return;
    scheduled = true;
    // setImmediate runs after the current I/O phase: every request parsed in it joins this batch.
    setImmediate(() => {
      scheduled = false;
      while (inFlight < maxInFlight && queue.length > 0) {
        const batch = queue.splice(0, MAX_BATCH);
        inFlight += 1;
        void flush(batch).finally(() => {
          inFlight -= 1;
          schedule();
        });
      }
    });
  };

  async function flush(batch: Item[]): Promise<void> {
    let results: Map<Item, BatchedSignup | AppError>;
    try {
      results = await insertBatch(deps, batch);
      stats.batches += 1;
      stats.signups += batch.length;
    } catch (err) {
      deps.log.warn({ err, size: batch.length }, 'signup batch failed; retrying its signups one by one');
      for (const item of batch) item.resolve({ kind: 'existing' });
      return;
    }
    for (const item of batch) {
      const r = results.get(item) ?? { kind: 'existing' };
      if (r instanceof AppError) item.reject(r);
      else item.resolve(r);
    }
  }

  return {
    stats,
    insert(signup) {
      return new Promise<BatchedSignup>((resolve, reject) => {
        queue.push({ signup, resolve, reject });
        schedule();
      });
    },
  };
}

async function insertBatch(deps: Pick<Deps, 'db' | 'database'>, batch: Item[]): Promise<Map<Item, BatchedSignup | AppError>> {
  const out = new Map<Item, BatchedSignup | AppError>();
  const key = (normalized: string, sku: string) => `${normalized}\u0000${sku}`;
  return withTx(deps.db, async (tx) => {
    const skus = [...new Set(batch.map((i) => i.signup.sku))];
    const found = await tx.select({ sku: products.sku, name: products.name, quantity: products.quantity }).from(products).where(inArray(products.sku, skus));
    const productBySku = new Map(found.map((p) => [p.sku, p]));
    const emails = [...new Set(batch.map((i) => i.signup.normalized))];
    const suppressed = new Set(
      (await tx.select({ email: suppressions.email }).from(suppressions).where(inArray(suppressions.email, emails))).map((s) => s.email),
    );

    // One row per (address, SKU): a second signup for the same key in this batch takes the
    // one-signup path after the commit and finds the row (→ 200), exactly as if it came later.
    const rows: (typeof subscriptions.$inferInsert)[] = [];
    const pending = new Map<string, { item: Item; token?: string; productName: string }>();
    for (const item of batch) {
      const s = item.signup;
      const product = productBySku.get(s.sku);
      if (!product) {
        out.set(item, new AppError('UNKNOWN_SKU', `No product with SKU "${s.sku}".`));
        continue;
      }
      if (product.quantity >= s.deps.config.restock.minQuantity) {
        out.set(item, new AppError('IN_STOCK', `"${product.name}" is in stock: buy it now instead of waiting.`));
        continue;
      }
      const k = key(s.normalized, s.sku);
      if (pending.has(k)) continue;
      // Same rule as the one-signup path: pending + token under double opt-in or for a suppressed address.
      const needsConfirm = s.deps.config.signup.doubleOptIn || suppressed.has(s.normalized);
      const token = needsConfirm ? createRandomToken() : undefined;
      rows.push({
        email: s.email,
        emailNormalized: s.normalized,
        sku: s.sku,
        locale: s.locale,
        name: s.name,
        source: s.source,
        createdAt: s.now,
        status: needsConfirm ? 'pending' : 'active',
        confirmTokenHash: token?.hash ?? null,
        confirmExpiresAt: token ? s.expiresAt : null,
        confirmedAt: needsConfirm ? null : s.now,
      });
      pending.set(k, { item, token: token?.token, productName: product.name });
    }
    if (rows.length === 0) return out;
    const inserted = await tx
      .insert(subscriptions)
      .values(rows)
      .onConflictDoNothing({ target: [subscriptions.emailNormalized, subscriptions.sku] })
      .returning();
    const confirmations: EnqueueDeliveryInput[] = [];
    for (const sub of inserted) {
      const p = pending.get(key(sub.emailNormalized, sub.sku));
      if (!p) continue;
      out.set(p.item, { kind: 'created', subscription: sub, token: p.token, productName: p.productName });
      if (p.token) confirmations.push(confirmationDelivery(p.item.signup.deps, { subscription: sub, productName: p.productName, token: p.token }));
    }
    // Same transaction, same commit: a signup acknowledged with 201 always has its email on the ledger.
    await enqueueDeliveries({ clock: batch[0]!.signup.deps.clock, database: deps.database }, confirmations, tx);
    return out;
  });
}

const batchers = new WeakMap<Database, SignupBatcher>();

/** The batcher of this database handle (one per pool, created on first use; no module-level pool). */
export function signupBatcherFor(deps: Pick<Deps, 'db' | 'database' | 'log'>): SignupBatcher {
  let b = batchers.get(deps.database);
  if (!b) {
    b = createSignupBatcher(deps);
    batchers.set(deps.database, b);
  }
  return b;
}
