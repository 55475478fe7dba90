import { and, eq, inArray, or } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { backorderEvents, backorders, products, type Backorder, type NewBackorder } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { isAppError } from '../../errors.js';
import { validateEmail } from '../../mail/address.js';
import { addDays, type BackorderInput, type BackorderSource } from './backorder-input.js';

type LineProblem = {
  code: 'VALIDATION' | 'UNKNOWN_SKU';
  message: string;
  details: { path: string; message: string }[];
};
export type RegisterResult = { ok: true; created: boolean; backorder: Backorder } | ({ ok: false } & LineProblem);

/** 16 CFR 435.2(a)(1): "fifty (50) days" when the buyer applies to the seller for credit and no time is stated. */
const CREDIT_SHIP_DAYS = 50;

/** Runs inside the registering transaction with the new rows. */
export type OnCreated = (tx: Db, created: Backorder[]) => Promise<void>;

type Deps = { db: Db; clock: Clock; config: Pick<Config, 'backorders' | 'signup'> };

/**
 * Registers order lines on backorder in ONE transaction (the caller's when `db` is a tx), idempotent
 * on (orderId, sku): a line that exists is returned as it is (`created: false`) — a retry or a
 * redelivery changes nothing, not even the quantity or dates.
 * Defaults: `orderedAt` = now, `promisedDate` = orderedAt's date + DEFAULT_SHIP_DAYS (50 days with
 * `creditApplied`); `shipBy` and the expected date start as the promised one (a later product ETA
 * becomes the expected date, never the promise). Each new line gets a `registered` history event.
 * Results come back in input order; a line with a bad address or an unknown SKU is reported in its
 * slot and never stops the others.
 * `ctx.onCreated` runs inside the transaction with the new rows (notices are enqueued atomically with them).
 */
export async function registerBackorders(
  deps: Deps & { onCreated?: OnCreated | undefined },
  input: { lines: BackorderInput[]; source: BackorderSource },
): Promise<RegisterResult[]> {
  const { lines: inputs, source } = input;
  const { onCreated } = deps;
  const now = deps.clock.now();
  const results: (RegisterResult | undefined)[] = new Array(inputs.length);
  const prepared: { index: number; row: NewBackorder }[] = [];
  inputs.forEach((input, index) => {
    try {
      const { email, normalized } = validateEmail(input.email, {
        allowIpLiteral: deps.config.signup.allowIpLiteralEmails,
      });
      const orderedAt = input.orderedAt ? new Date(input.orderedAt) : now;
      const creditApplied = input.creditApplied ?? false;
      const days = creditApplied ? CREDIT_SHIP_DAYS : deps.config.backorders.defaultShipDays;
      const promisedDate = input.promisedDate ?? addDays(orderedAt.toISOString().slice(0, 10), days);
      prepared.push({
        index,
        row: {
          orderId: input.orderId,
          orderLabel: input.orderLabel ?? null,
          sku: input.sku,
          email,
          emailNormalized: normalized,
          customerName: input.customerName || null,
          locale: input.locale ?? null,
          quantity: input.quantity,
          status: 'open',
          orderedAt,
          promisedDate,
          shipBy: promisedDate,
          creditApplied,
          expectedDate: promisedDate,
          notify: input.notify ?? true,
          createdAt: now,
          updatedAt: now,
        },
      });
    } catch (err) {
      if (!isAppError(err)) throw err;
      results[index] = {
        ok: false,
        code: 'VALIDATION',
        message: err.message,
        details: (err.details as LineProblem['details']) ?? [],
      };
    }
  });
  if (prepared.length === 0) return results as RegisterResult[];

  return withTx(deps.db, async (tx) => {
    const skus = [...new Set(prepared.map((p) => p.row.sku))];
    const known = new Map(
      (
        await tx
          .select({ sku: products.sku, eta: products.eta, etaReason: products.etaReason })
          .from(products)
          .where(inArray(products.sku, skus))
      ).map((r) => [r.sku, r]),
    );
    const fresh: { index: number; row: NewBackorder }[] = [];
    const seen = new Set<string>();
    for (const p of prepared) {
      const product = known.get(p.row.sku);
      if (!product) {
        results[p.index] = {
          ok: false,
          code: 'UNKNOWN_SKU',
          message: `No product with SKU "${p.row.sku}".`,
          details: [{ path: 'sku', message: 'unknown SKU' }],
        };
        continue;
      }
      startFromEta(p, product);
      const key = `${p.row.orderId}\u0000${p.row.sku}`;
      if (!seen.has(key)) fresh.push(p);
      seen.add(key);
    }
    const inserted = fresh.length
      ? await tx
          .insert(backorders)
          .values(fresh.map((f) => f.row))
          .onConflictDoNothing({ target: [backorders.orderId, backorders.sku] })
          .returning()
      : [];
    const keyOf = (b: { orderId: string; sku: string }) => `${b.orderId}\u0000${b.sku}`;
    const insertedByKey = new Map(inserted.map((b) => [keyOf(b), b]));
    const missing = prepared.filter((p) => results[p.index] === undefined && !insertedByKey.has(keyOf(p.row)));
    const existing = missing.length
      ? await tx
          .select()
          .from(backorders)
          .where(or(...missing.map((m) => and(eq(backorders.orderId, m.row.orderId), eq(backorders.sku, m.row.sku)))))
      : [];
    const existingByKey = new Map(existing.map((b) => [keyOf(b), b]));
    const claimed = new Set<string>();
    for (const p of prepared) {
      if (results[p.index] !== undefined) continue;
      const key = keyOf(p.row);
      const mine = insertedByKey.get(key);
      if (mine && !claimed.has(key)) {
        claimed.add(key);
        results[p.index] = { ok: true, created: true, backorder: mine };
      } else {
        results[p.index] = { ok: true, created: false, backorder: (mine ?? existingByKey.get(key))! };
      }
    }
    if (inserted.length > 0) {
      await tx.insert(backorderEvents).values(
        inserted.map((b) => ({
          backorderId: b.id,
          type: 'registered',
          source,
          newStatus: 'open',
          newDate: b.promisedDate,
          at: now,
        })),
      );
      if (onCreated) {
        await onCreated(tx, inserted);
        // Answer with the lines as the hook left them (a notice decided, or cancel_due at once).
        const ids = inserted.map((b) => b.id);
        const decided = new Map(
          (await tx.select().from(backorders).where(inArray(backorders.id, ids))).map((b) => [b.id, b]),
        );
        for (const r of results) if (r?.ok && decided.has(r.backorder.id)) r.backorder = decided.get(r.backorder.id)!;
      }
    }
    return results as RegisterResult[];
  });
}

/**
 * The product's ETA never extends the promise (16 CFR 435.2(a)(1): the applicable time is the time stated,
 * else 30 days — 50 with credit): an ETA later than the promise becomes the line's expected date and
 * reason, and the `onCreated` hook then offers the delay option at once, in the one email the customer gets.
 */
function startFromEta(p: { row: NewBackorder }, product: { eta: string | null; etaReason: string | null }): void {
  if (product.eta === null || product.eta <= p.row.promisedDate) return;
  p.row.expectedDate = product.eta;
  p.row.expectedReason = product.etaReason;
}
