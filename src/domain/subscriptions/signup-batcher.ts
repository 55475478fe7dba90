import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import type { Database } from '../../db/client.js';
import type { Subscription } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { confirmationTokenId, confirmationVariables } from './send-confirmation.js';
import { createRandomToken } from './tokens.js';
import { normalizeEmail } from './validate-email.js';

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

/** Most signups one statement carries (they travel as one jsonb parameter): bounds its size and lock time. */
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
 * commit, typically a millisecond or two) and are then inserted together: one lookup, then ONE
 * statement — a multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` whose CTE also queues the new
 * rows' confirmation emails on the ledger — so one commit covers the whole batch. Each caller's
 * promise settles only after that commit, so nothing acknowledged can be lost. When idle, a signup is flushed at the next
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

type InsertedRow = {
  id: number;
  email: string;
  email_normalized: string;
  sku: string;
  locale: string | null;
  name: string | null;
  status: Subscription['status'];
  source: string | null;
  confirm_token_hash: string | null;
  confirm_expires_at: Date | string | null;
  created_at: Date | string;
  confirmed_at: Date | string | null;
  notified_at: Date | string | null;
  unsubscribed_at: Date | string | null;
};

const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

function toSubscription(r: InsertedRow): Subscription {
  return {
    id: Number(r.id),
    email: r.email,
    emailNormalized: r.email_normalized,
    sku: r.sku,
    locale: r.locale,
    name: r.name,
    status: r.status,
    source: r.source,
    confirmTokenHash: r.confirm_token_hash,
    confirmExpiresAt: asDate(r.confirm_expires_at),
    createdAt: asDate(r.created_at) as Date,
    confirmedAt: asDate(r.confirmed_at),
    notifiedAt: asDate(r.notified_at),
    unsubscribedAt: asDate(r.unsubscribed_at),
  };
}

/**
 * Two round trips and one commit for the whole batch: one lookup of the batch's products and
 * suppressed addresses, then ONE statement that inserts the new subscriptions and, for those that
 * need it, their confirmation emails on the ledger (a statement is atomic: both or neither).
 */
async function insertBatch(deps: Pick<Deps, 'database'>, batch: Item[]): Promise<Map<Item, BatchedSignup | AppError>> {
  const out = new Map<Item, BatchedSignup | AppError>();
  const key = (normalized: string, sku: string) => `${normalized}\u0000${sku}`;
  const skus = JSON.stringify([...new Set(batch.map((i) => i.signup.sku))]);
  const emails = JSON.stringify([...new Set(batch.map((i) => i.signup.normalized))]);
  const facts = await deps.database.rows<{ kind: string; k: string; name: string | null; quantity: number | null }>(sql`
    select 'product' as kind, sku as k, name, quantity from products
     where sku in (select jsonb_array_elements_text(${skus}::jsonb))
    union all
    select 'suppressed', email, null, null from suppressions
     where email in (select jsonb_array_elements_text(${emails}::jsonb))`);
  const productBySku = new Map(facts.filter((f) => f.kind === 'product').map((f) => [f.k, { name: f.name ?? f.k, quantity: Number(f.quantity) }]));
  const suppressed = new Set(facts.filter((f) => f.kind === 'suppressed').map((f) => f.k));

  // One row per (address, SKU): a second signup for the same key in this batch takes the
  // one-signup path after the commit and finds the row (→ 200), exactly as if it came later.
  const rows: Record<string, unknown>[] = [];
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
      ord: rows.length,
      email: s.email,
      email_normalized: s.normalized,
      sku: s.sku,
      locale: s.locale ?? null,
      name: s.name ?? null,
      source: s.source ?? null,
      created_at: s.now.toISOString(),
      status: needsConfirm ? 'pending' : 'active',
      confirm_token_hash: token?.hash ?? null,
      confirm_expires_at: token ? s.expiresAt.toISOString() : null,
      confirmed_at: needsConfirm ? null : s.now.toISOString(),
      token_id: token ? confirmationTokenId(token.token) : null,
      variables: token ? confirmationVariables(s.deps, { productName: product.name, name: s.name, token: token.token }) : null,
      recipient_normalized: normalizeEmail(s.email),
    });
    pending.set(k, { item, token: token?.token, productName: product.name });
  }
  if (rows.length === 0) return out;
  const now = (batch[0] as Item).signup.deps.clock.now().toISOString();
  // Data-modifying CTEs run to completion even though the final SELECT reads only `ins`.
  const inserted = await deps.database.rows<InsertedRow>(sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
        ord int, email text, email_normalized text, sku text, locale text, name text, source text,
        created_at timestamptz, status text, confirm_token_hash text, confirm_expires_at timestamptz,
        confirmed_at timestamptz, token_id text, variables jsonb, recipient_normalized text)
    ), ins as (
      insert into subscriptions (email, email_normalized, sku, locale, name, source, created_at, status,
        confirm_token_hash, confirm_expires_at, confirmed_at)
      select email, email_normalized, sku, locale, name, source, created_at, status::subscription_status,
        confirm_token_hash, confirm_expires_at, confirmed_at
      from input order by ord
      on conflict (email_normalized, sku) do nothing
      returning *
    ), queued as (
      insert into deliveries (dedupe_key, recipient, recipient_normalized, template_key, locale, variables,
        subscription_id, event_id, bulk, priority, status, next_attempt_at, created_at, updated_at)
      select 'confirm:' || ins.id || ':' || i.token_id, ins.email, i.recipient_normalized, 'confirm', ins.locale, i.variables,
        ins.id, null, false, 0, 'queued', ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz
      from ins join input i on i.email_normalized = ins.email_normalized and i.sku = ins.sku
      where i.token_id is not null
      on conflict (dedupe_key) do nothing
    )
    select id, email, email_normalized, sku, locale, name, status::text as status, source, confirm_token_hash,
      confirm_expires_at, created_at, confirmed_at, notified_at, unsubscribed_at
    from ins`);
  for (const row of inserted) {
    const sub = toSubscription(row);
    const p = pending.get(key(sub.emailNormalized, sub.sku));
    if (p) out.set(p.item, { kind: 'created', subscription: sub, token: p.token, productName: p.productName });
  }
  return out;
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
