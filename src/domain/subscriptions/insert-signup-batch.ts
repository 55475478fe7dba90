import { sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import { preparedRows, type Db } from '../../db/client.js';
import type { Subscription } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { fanOutInsert } from '../../ledger/enqueue.js';
import { confirmation } from '../../ledger/kinds/index.js';
import { decideSignup } from './decide-signup.js';
import { confirmationTokenId, confirmationVariables } from './send-confirmation.js';
import { createRandomToken } from './tokens.js';

/** A signup that passed validation: everything the INSERT needs. */
export type NewSignup = {
  /** The caller's config decides the rules (a test may run two configs over one database). */
  config: Config;
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
 * `created`: the row and, when a link was issued, its token and confirmation email's ledger row are
 * committed (the caller may answer 201 and wake the sender). `existing`: a row for this address and
 * SKU already existed, or the batch could not run — the caller takes its one-signup path, which decides
 * from the existing row and isolates any error to this signup alone.
 */
export type BatchedSignup =
  | { kind: 'created'; subscription: Subscription; confirmationQueued: boolean; productName: string }
  | { kind: 'existing' };

type InsertedRow = {
  id: number;
  email: string;
  email_normalized: string;
  sku: string;
  locale: string | null;
  name: string | null;
  status: Subscription['status'];
  source: string | null;
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
    confirmExpiresAt: asDate(r.confirm_expires_at),
    createdAt: asDate(r.created_at) as Date,
    confirmedAt: asDate(r.confirmed_at),
    notifiedAt: asDate(r.notified_at),
    unsubscribedAt: asDate(r.unsubscribed_at),
    // Only new rows come back from this statement: never re-permissioned yet.
    consentRenewedAt: null,
    repermissionAskedAt: null,
  };
}

/**
 * The group-commit statement of new signups (handed to the runtime's generic batcher). Two round
 * trips and one commit for the whole batch: one lookup of the batch's products and suppressed
 * addresses, then ONE statement that inserts the new subscriptions and, for those that need it, their
 * confirmation links and emails on the ledger (a statement is atomic: all or nothing). The rule is
 * `decideSignup`, as on the one-signup path. @returns one result per signup, in order: an AppError
 * (UNKNOWN_SKU, IN_STOCK) rejects that signup alone.
 */
export async function insertSignupBatch(db: Db, batch: NewSignup[]): Promise<(BatchedSignup | AppError)[]> {
  const out = new Map<NewSignup, BatchedSignup | AppError>();
  const key = (normalized: string, sku: string) => `${normalized}\u0000${sku}`;
  const skus = JSON.stringify([...new Set(batch.map((s) => s.sku))]);
  const emails = JSON.stringify([...new Set(batch.map((s) => s.normalized))]);
  const facts = await preparedRows<{ kind: string; k: string; name: string | null; quantity: number | null }>(
    db,
    sql`
    select 'product' as kind, sku as k, name, quantity from products
     where sku in (select jsonb_array_elements_text(${skus}::jsonb))
    union all
    select 'suppressed', email, null, null from suppressions
     where email in (select jsonb_array_elements_text(${emails}::jsonb))`,
  );
  const productBySku = new Map(facts.filter((f) => f.kind === 'product').map((f) => [f.k, { name: f.name ?? f.k, quantity: Number(f.quantity) }]));
  const suppressed = new Set(facts.filter((f) => f.kind === 'suppressed').map((f) => f.k));

  // One row per (address, SKU): a second signup for the same key in this batch takes the
  // one-signup path after the commit and finds the row (→ 200), exactly as if it came later.
  const input: Record<string, unknown>[] = [];
  const pending = new Map<string, { signup: NewSignup; confirm: boolean; productName: string }>();
  for (const s of batch) {
    let decision;
    try {
      decision = decideSignup(s.sku, productBySku.get(s.sku), suppressed.has(s.normalized), undefined, {
        doubleOptIn: s.config.signup.doubleOptIn,
        minQuantity: s.config.restock.minQuantity,
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      out.set(s, err);
      continue;
    }
    if (decision.action === 'keep') continue;
    const k = key(s.normalized, s.sku);
    if (pending.has(k)) continue;
    const token = decision.needsConfirmation ? createRandomToken() : undefined;
    input.push({
      ord: input.length,
      email: s.email,
      email_normalized: s.normalized,
      sku: s.sku,
      locale: s.locale ?? null,
      name: s.name ?? null,
      source: s.source ?? null,
      created_at: s.now.toISOString(),
      status: decision.status,
      confirm_expires_at: token ? s.expiresAt.toISOString() : null,
      confirmed_at: token ? null : s.now.toISOString(),
      token_hash: token?.hash ?? null,
      token_id: token ? confirmationTokenId(token.hash) : null,
      variables: token ? confirmationVariables(s.config, { productName: decision.productName, token: token.token }) : null,
    });
    pending.set(k, { signup: s, confirm: token !== undefined, productName: decision.productName });
  }
  if (input.length > 0) {
    const now = (batch[0] as NewSignup).now.toISOString();
    // Data-modifying CTEs run to completion even though the final SELECT reads only `ins`.
    const inserted = await preparedRows<InsertedRow>(
      db,
      sql`
      with input as (
        select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as r(
          ord int, email text, email_normalized text, sku text, locale text, name text, source text,
          created_at timestamptz, status text, confirm_expires_at timestamptz, confirmed_at timestamptz,
          token_hash text, token_id text, variables jsonb)
      ), ins as (
        insert into subscriptions (email, email_normalized, sku, locale, name, source, created_at, status,
          confirm_expires_at, confirmed_at)
        select email, email_normalized, sku, locale, name, source, created_at, status::subscription_status,
          confirm_expires_at, confirmed_at
        from input order by ord
        on conflict (email_normalized, sku) do nothing
        returning *
      ), confirming as (
        select ins.id as subscription_id, ins.email, ins.email_normalized, ins.locale, ins.name, i.token_hash,
          i.token_id as nonce, i.variables, i.confirm_expires_at
        from ins join input i on i.email_normalized = ins.email_normalized and i.sku = ins.sku
        where i.token_hash is not null
      ), links as (
        insert into confirmation_tokens (token_hash, subscription_id, expires_at, created_at)
        select token_hash, subscription_id, confirm_expires_at, ${now}::timestamptz from confirming
      ), queued as (
        ${fanOutInsert({ kind: confirmation, from: sql`confirming`, rowVariables: sql`p.variables`, nonce: sql`p.nonce`, at: now })}
      )
      select id, email, email_normalized, sku, locale, name, status::text as status, source,
        confirm_expires_at, created_at, confirmed_at, notified_at, unsubscribed_at
      from ins`,
    );
    for (const row of inserted) {
      const sub = toSubscription(row);
      const p = pending.get(key(sub.emailNormalized, sub.sku));
      if (p) out.set(p.signup, { kind: 'created', subscription: sub, confirmationQueued: p.confirm, productName: p.productName });
    }
  }
  return batch.map((s) => out.get(s) ?? { kind: 'existing' });
}
