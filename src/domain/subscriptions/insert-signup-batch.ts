import { sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import { preparedRows, type Db } from '../../db/client.js';
import { counterUpsertConflict } from '../../db/counters.js';
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
  /** The per-mailbox limits, counted by the batch statement itself (PostgreSQL; see `MailboxLimit`). */
  limit?: MailboxLimit;
};

/**
 * The per-mailbox limits of one signup (issue 21), counted in `rate_counters` by the group-commit
 * statement together with the insert (issue 23: no round trip of their own). A signup counted over
 * a window's limit is not inserted; `refuse` takes its count back (a refused attempt does not count)
 * and names the error to answer. The route builds it (src/http/api/signup-shared.ts).
 */
export type MailboxLimit = {
  /** One per window, in order: the counter key as stored (`counterKey`), the window and its limit. */
  windows: { key: string; windowMs: number; limit: number }[];
  /** Counts this signup by itself (its batch did not run): throws RATE_LIMITED when over a limit. */
  countAlone(): Promise<void>;
  /** After the statement counted this signup over window `w`'s limit: takes it back, returns the error. */
  refuse(w: number, expiresAt: Date): Promise<Error>;
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
  /** `counted`: the statement counted the signup's limits (false: it did not run, the caller counts). */
  | { kind: 'existing'; counted: boolean };

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
  /** The first window whose limit the signup was counted over (null: within every limit). */
  limited_w: number | null;
  limited_until: Date | string | null;
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
 * The signups' per-mailbox limits (`NewSignup.limit`) are counted by the same statement, before
 * anything is inserted: a signup counted over a limit is not inserted and is answered with
 * `limit.refuse`'s error after its count was taken back — what counting it alone first would do.
 * Every other signup of the batch (an existing row, an unknown SKU …) stays counted, as before.
 * `input.wake`: a NOTIFY on the wake channel, sent by the same commit when the batch queued a
 * confirmation (a ROLE=web process: the workers send), instead of one more statement per batch.
 * @returns one result per signup, in order: an AppError rejects that signup alone.
 */
export async function insertSignupBatch(
  ctx: { db: Db; outbox: Pick<Outbox, 'fanOut'> },
  input: { batch: NewSignup[]; wake?: WakeTopic },
): Promise<(BatchedSignup | Error)[]> {
  const { db } = ctx;
  const { batch, wake } = input;
  const out = new Map<NewSignup, BatchedSignup | Error>();
  const key = (normalized: string, sku: string) => `${normalized}\u0000${sku}`;
  // One row per (address, SKU): a second signup for the same key in this batch (`first` false) is
  // counted but not inserted; it takes the one-signup path after the commit and finds the row
  // (→ 200), exactly as if it came later.
  const sent = new Set<string>();
  const records: Record<string, unknown>[] = [];
  // The limits' counter events: a key counted k times in this batch is upserted once with k events;
  // the i-th of them (`rank`, in submission order) counts as the count before the batch + i.
  const perKey = new Map<string, { n: number; ms: number }>();
  const events: { ord: number; w: number; key: string; lim: number; rank: number }[] = [];
  for (const [ord, s] of batch.entries()) {
    for (const [w, win] of (s.limit?.windows ?? []).entries()) {
      const seen = perKey.get(win.key) ?? { n: 0, ms: win.windowMs };
      seen.n += 1;
      perKey.set(win.key, seen);
      events.push({ ord, w, key: win.key, lim: win.limit, rank: seen.n });
    }
    const k = key(s.normalized, s.sku);
    const first = !sent.has(k);
    sent.add(k);
    const token = first && needsConfirmation(rulesOf(s.config), false) ? createRandomToken() : undefined;
    records.push({
      ord,
      first,
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
  const counterEvents = events.map((e) => ({ ...e, n: perKey.get(e.key)!.n, ms: perKey.get(e.key)!.ms }));
  // Data-modifying CTEs run to completion even though the final SELECT reads only `facts` and `ins`;
  // `woken` (a SELECT) runs only because the final SELECT reads it.
  const answered = await preparedRows<BatchRow>(
    db,
    sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
        ord int, first boolean, email text, email_normalized text, sku text, locale text, name text, source text,
        created_at timestamptz, confirm_expires_at timestamptz, min_quantity int, token_hash text, token_id text,
        variables jsonb)
    ), events as (
      select * from jsonb_to_recordset(${JSON.stringify(counterEvents)}::jsonb) as e(
        ord int, w int, key text, lim int, rank int, n int, ms int)
    ), counted as (
      -- src/db/counters.ts's upsert, one row per key, locked in key order (as every counter batch locks them).
      insert into rate_counters as c (key, count, last_at, expires_at)
      select key, max(n), ${now}::timestamptz, ${now}::timestamptz + max(ms) * interval '1 millisecond'
      from events group by key order by key
      ${counterUpsertConflict(false)}
      returning c.key, c.count, c.expires_at
    ), limited as (
      select distinct on (e.ord) e.ord, e.w, k.expires_at
      from events e join counted k on k.key = e.key
      where k.count - e.n + e.rank > e.lim
      order by e.ord, e.w
    ), facts as (
      select i.ord, p.name as product_name, p.quantity,
        exists (select 1 from suppressions s where s.email = i.email_normalized) as suppressed
      from input i left join products p on p.sku = i.sku
    ), admitted as (
      select i.*, f.product_name, case when i.token_hash is not null then 'pending' else 'active' end as status
      from input i join facts f on f.ord = i.ord
      where i.first and f.quantity < i.min_quantity and (i.token_hash is not null or not f.suppressed)
        and not exists (select 1 from limited l where l.ord = i.ord)
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
    select f.ord, f.product_name, f.quantity, f.suppressed, l.w as limited_w, l.expires_at as limited_until,
      ins.id, ins.email, ins.email_normalized, ins.sku, ins.locale, ins.name, ins.status::text as status, ins.source,
      ins.confirm_expires_at, ins.created_at, ins.confirmed_at, ins.notified_at, ins.unsubscribed_at
    from facts f join input i on i.ord = f.ord
      left join limited l on l.ord = i.ord
      left join ins on i.first and ins.email_normalized = i.email_normalized and ins.sku = i.sku
      ${wake ? sql`cross join (select count(*) from woken) w` : sql``}`,
  );
  const refused: Promise<void>[] = [];
  for (const r of answered) {
    const s = batch[Number(r.ord)];
    if (!s) continue;
    if (r.limited_w !== null && s.limit) {
      // Over a limit: nothing was inserted for it; its count is taken back (an error belongs to it alone).
      const { limit } = s;
      refused.push(
        limit.refuse(Number(r.limited_w), asDate(r.limited_until) as Date).then(
          (err) => void out.set(s, err),
          (err: unknown) => void out.set(s, err instanceof Error ? err : new Error(String(err))),
        ),
      );
      continue;
    }
    if (records[Number(r.ord)]?.first !== true) continue; // a repeat in this batch: the one-signup path
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
  await Promise.all(refused);
  return batch.map((s) => out.get(s) ?? { kind: 'existing', counted: true });
}

const rulesOf = (config: Config) => ({
  doubleOptIn: config.signup.doubleOptIn,
  minQuantity: config.restock.minQuantity,
});
