/**
 * The delivery-kind registry: every kind of message the ledger carries.
 *
 * Recipe — adding a kind is one new file plus one line here:
 * 1. Create `src/ledger/kinds/<kind>.ts` exporting a `DeliveryKind` (see kind.ts): its key (stored
 *    in `deliveries.kind`), channel, template key, lane, what `ref_id` points at, how its dedupe key
 *    is built from (ref, subscription, nonce), its claim-time skip rule (compose `skipRules`
 *    fragments; SQL on the claimed row `d`), the variables scrubbed once the row is final, and the
 *    variables its producer must supply.
 * 2. Add it to the list passed to `createKindRegistry` below.
 * Producers then call `enqueueDelivery(deps, db, kind, …)` or `fanOutInsert({ kind, … })`
 * (src/ledger/enqueue.ts); claim, send and record pick the kind's rules up from the registry. Add the
 * template files under templates/ (the emails' own business, not the ledger's).
 */
import { sql, type SQL } from 'drizzle-orm';
import { backInStock } from './back-in-stock.js';
import { backorderConfirmed } from './backorder-confirmed.js';
import { deliveryDateRevised } from './delivery-date-revised.js';
import { demandSummary } from './demand-summary.js';
import { orderEvent } from './order-event.js';
import { orderShippingSoon } from './order-shipping-soon.js';
import { confirmation } from './confirmation.js';
import { etaRevised } from './eta-revised.js';
import { stillInterested } from './still-interested.js';
import type { DeliveryKind } from './kind.js';

export type { DeliveryKind } from './kind.js';
export { skipRules } from './kind.js';

export type KindRegistry = {
  readonly kinds: readonly DeliveryKind[];
  /** @throws Error for a key no kind declares (a row written by a newer build, or a typo). */
  get(key: string): DeliveryKind;
  /** One boolean SQL expression on the claimed row `d`: the skip rule of the row's kind. */
  skipSql(): SQL;
  /** A text[] SQL expression on row `d`: the variables to drop once the row is final. */
  scrubSql(): SQL;
  /** A text[] SQL expression on row `d`: its kind's `recipientVariables`, NULL when the kind declares none. */
  recipientKeysSql(): SQL;
};

/** @throws Error when two kinds share a key (each row must map to exactly one set of rules). */
export function createKindRegistry(kinds: readonly DeliveryKind[]): KindRegistry {
  const byKey = new Map<string, DeliveryKind>();
  for (const k of kinds) {
    if (byKey.has(k.key)) throw new Error(`delivery kind "${k.key}" is registered twice`);
    byKey.set(k.key, k);
  }
  const cases = (f: (k: DeliveryKind) => SQL, otherwise: SQL) =>
    kinds.length === 0
      ? otherwise
      : sql`(case d.kind ${sql.join(
          kinds.map((k) => sql`when ${k.key} then (${f(k)})`),
          sql` `,
        )} else ${otherwise} end)`;
  // The composed fragments depend only on the kinds: build them once.
  const skip = cases((k) => k.skipWhen, sql`false`);
  const scrub = cases(
    (k) =>
      k.scrub.length === 0
        ? sql`array[]::text[]`
        : sql`array[${sql.join(
            k.scrub.map((v) => sql`${v}`),
            sql`, `,
          )}]::text[]`,
    sql`array[]::text[]`,
  );
  const textArray = (names: readonly string[]) =>
    sql`array[${sql.join(
      names.map((v) => sql`${v}`),
      sql`, `,
    )}]::text[]`;
  const recipientKeys = cases(
    (k) => (k.recipientVariables?.length ? textArray(k.recipientVariables) : sql`null::text[]`),
    sql`null::text[]`,
  );
  return {
    kinds,
    get(key) {
      const k = byKey.get(key);
      if (!k) throw new Error(`unknown delivery kind "${key}"`);
      return k;
    },
    skipSql: () => skip,
    scrubSql: () => scrub,
    recipientKeysSql: () => recipientKeys,
  };
}

export const deliveryKinds = createKindRegistry([
  confirmation,
  backInStock,
  etaRevised,
  stillInterested,
  backorderConfirmed,
  deliveryDateRevised,
  orderShippingSoon,
  orderEvent,
  demandSummary,
]);

export {
  backInStock,
  backorderConfirmed,
  confirmation,
  deliveryDateRevised,
  demandSummary,
  etaRevised,
  orderEvent,
  orderShippingSoon,
  stillInterested,
};
