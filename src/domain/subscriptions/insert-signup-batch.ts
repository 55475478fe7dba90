import { sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import { preparedRows, type Db } from '../../db/client.js';
import { WAKE_CHANNEL, type WakeTopic } from '../../db/wake.js';
import type { Subscription } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Outbox } from '../../ledger/outbox.js';
import { confirmation } from '../../ledger/kinds/index.js';
import { decideSignup, needsConfirmation } from './decide-signup.js';
import { confirmationTokenId, confirmationVariables } from './queue-confirmation.js';
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
  | {
      kind: 'created';
      subscription: Subscription;
      confirmationQueued: boolean;
      productName: string;
      /** The statement's commit already woke the workers (NOTIFY, `input.wake`): nobody needs to again. */
      workersWoken: boolean;
    }
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

/** What the statement answers per signup: the facts the rule needs, and the row when it inserted one. */
type BatchRow = InsertedRow & {
  ord: number;
  product_name: string | null;
  quantity: number | string | null;
  suppressed: boolean;
};

/**
 * The group-commit statement of new signups (handed to the generic batcher by src/services.ts): ONE round trip
 * and one commit for the whole batch. The statement looks up each signup's product and suppression,
 * inserts the subscriptions the rule lets in and, for those that need it, their confirmation links and
 * emails on the ledger (a statement is atomic: all or nothing), and answers every signup's facts.
 * The rule is `decideSignup`, as on the one-signup path: the statement admits a new row only where the
 * product exists and is out of stock (`quantity < RESTOCK_MIN_QUANTITY`), as `pending` with the link
 * issued here when `needsConfirmation` says so for an address that is not suppressed, else `active`;
 * a suppressed address without a link is left to the one-signup path (it must confirm). Afterwards
 * `decideSignup` runs on the returned facts for every signup: it names the errors (UNKNOWN_SKU,
 * IN_STOCK) and must agree with the status of each inserted row, or the batch counts as failed.
 * `input.wake`: a NOTIFY on the wake channel, sent by the same commit when the batch queued a
 * confirmation (a ROLE=web process: the workers send), instead of one more statement per batch.
 * @returns one result per signup, in order: an AppError rejects that signup alone.
 */
export async function insertSignupBatch(
  ctx: { db: Db; outbox: Pick<Outbox, 'fanOut'> },
  input: { batch: NewSignup[]; wake?: WakeTopic },
): Promise<(BatchedSignup | AppError)[]> {
  const { db } = ctx;
  const { batch, wake } = input;
  const out = new Map<NewSignup, BatchedSignup | AppError>();
  const key = (normalized: string, sku: string) => `${normalized}\u0000${sku}`;
  // One row per (address, SKU): a second signup for the same key in this batch takes the
  // one-signup path after the commit and finds the row (→ 200), exactly as if it came later.
  const sent = new Map<string, NewSignup>();
  const records: Record<string, unknown>[] = [];
  for (const s of batch) {
    const k = key(s.normalized, s.sku);
    if (sent.has(k)) continue;
    sent.set(k, s);
    const token = needsConfirmation(rulesOf(s.config), false) ? createRandomToken() : undefined;
    records.push({
      ord: records.length,
      email: s.email,
      email_normalized: s.normalized,
      sku: s.sku,
      locale: s.locale ?? null,
      name: s.name ?? null,
      source: s.source ?? null,
      created_at: s.now.toISOString(),
      confirm_expires_at: s.expiresAt.toISOString(),
      min_quantity: s.config.restock.minQuantity,
      token_hash: token?.hash ?? null,
      token_id: token ? confirmationTokenId(token.hash) : null,
      // The product's name is the statement's to fill in (`productName`), from the row it looks up.
      variables: token ? confirmationVariables(s.config, { productName: '', token: token.token }) : null,
    });
  }
  const now = (batch[0] as NewSignup).now.toISOString();
  // Data-modifying CTEs run to completion even though the final SELECT reads only `facts` and `ins`;
  // `woken` (a SELECT) runs only because the final SELECT reads it.
  const answered = await preparedRows<BatchRow>(
    db,
    sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
        ord int, email text, email_normalized text, sku text, locale text, name text, source text,
        created_at timestamptz, confirm_expires_at timestamptz, min_quantity int, token_hash text, token_id text,
        variables jsonb)
    ), facts as (
      select i.ord, p.name as product_name, p.quantity,
        exists (select 1 from suppressions s where s.email = i.email_normalized) as suppressed
      from input i left join products p on p.sku = i.sku
    ), admitted as (
      select i.*, f.product_name, case when i.token_hash is not null then 'pending' else 'active' end as status
      from input i join facts f on f.ord = i.ord
      where f.quantity < i.min_quantity and (i.token_hash is not null or not f.suppressed)
    ), ins as (
      insert into subscriptions (email, email_normalized, sku, locale, name, source, created_at, status,
        confirm_expires_at, confirmed_at)
      select email, email_normalized, sku, locale, name, source, created_at, status::subscription_status,
        case when token_hash is not null then confirm_expires_at end, case when token_hash is null then created_at end
      from admitted order by ord
      on conflict (email_normalized, sku) do nothing
      returning *
    ), confirming as (
      select ins.id as subscription_id, ins.email, ins.email_normalized, ins.locale, ins.name, a.token_hash,
        a.token_id as nonce, a.variables || jsonb_build_object('productName', a.product_name) as variables, a.confirm_expires_at
      from ins join admitted a on a.email_normalized = ins.email_normalized and a.sku = ins.sku
      where a.token_hash is not null
    ), links as (
      insert into confirmation_tokens (token_hash, subscription_id, expires_at, created_at)
      select token_hash, subscription_id, confirm_expires_at, ${now}::timestamptz from confirming
    ), queued as (
      ${ctx.outbox.fanOut({ kind: confirmation, from: sql`confirming`, rowVariables: sql`p.variables`, nonce: sql`p.nonce`, at: now })}
    )${wake ? sql`, woken as (select pg_notify(${WAKE_CHANNEL}, ${wake}) from confirming limit 1)` : sql``}
    select f.ord, f.product_name, f.quantity, f.suppressed,
      ins.id, ins.email, ins.email_normalized, ins.sku, ins.locale, ins.name, ins.status::text as status, ins.source,
      ins.confirm_expires_at, ins.created_at, ins.confirmed_at, ins.notified_at, ins.unsubscribed_at
    from facts f join input i on i.ord = f.ord
      left join ins on ins.email_normalized = i.email_normalized and ins.sku = i.sku
      ${wake ? sql`cross join (select count(*) from woken) w` : sql``}`,
  );
  const signups = [...sent.values()];
  for (const r of answered) {
    const s = signups[Number(r.ord)];
    if (!s) continue;
    const product = r.product_name === null ? undefined : { name: r.product_name, quantity: Number(r.quantity) };
    let decision;
    try {
      decision = decideSignup(s.sku, product, r.suppressed, undefined, rulesOf(s.config));
    } catch (err) {
      if (!(err instanceof AppError) || r.id !== null) throw err;
      out.set(s, err);
      continue;
    }
    if (r.id === null) continue; // the row existed, or a suppressed address must confirm: the one-signup path decides
    if (decision.action === 'keep' || decision.status !== r.status) {
      throw new Error(
        `signup batch: the statement inserted a ${r.status} row where the rule says ${decision.action === 'keep' ? 'keep' : decision.status}`,
      );
    }
    const confirmationQueued = decision.needsConfirmation;
    out.set(s, {
      kind: 'created',
      subscription: toSubscription(r),
      confirmationQueued,
      productName: decision.productName,
      workersWoken: confirmationQueued && wake !== undefined,
    });
  }
  return batch.map((s) => out.get(s) ?? { kind: 'existing' });
}

const rulesOf = (config: Config) => ({
  doubleOptIn: config.signup.doubleOptIn,
  minQuantity: config.restock.minQuantity,
});
