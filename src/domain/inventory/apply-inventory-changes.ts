import type { Deps } from '../../deps.js';
import { asc, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  inventoryEvents,
  products,
  type InventorySource,
  type NewInventoryEvent,
  type Product,
} from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { wakeSql } from '../../db/wake.js';
import type { InventoryChange, ProductView } from './inventory-input.js';

export type ChangeOutcome = 'created' | 'updated' | 'unchanged' | 'stale';
export type AppliedChange = { sku: string; outcome: ChangeOutcome; product: ProductView };

const CHUNK = 1000;

/**
 * Applies already-validated inventory changes in ONE transaction (the caller's, when `db` is a tx).
 *
 * Contract: changes apply in input order (the same SKU twice → the later wins, each recorded). A change
 * that alters quantity, ETA or ETA reason appends one `inventory_events` row and marks the product due
 * for the restock scan (`scan_after`); one that alters only name/url/image/backorderable updates the
 * product without history; one that alters nothing writes nothing. A product first seen is created
 * (name defaults to the SKU) and its creation is an event with `old_quantity` null. A change whose
 * `sourceUpdatedAt` is older than the product's stored one is ignored (`stale`).
 * Side effect: a `pg_notify` wake-up (topic `inventory`) delivered at commit when events were appended.
 * Concurrency: product rows are locked (FOR UPDATE, in SKU order to avoid deadlocks between bulk
 * requests) for the whole transaction, so per-SKU event ids follow commit order.
 */
export async function applyInventoryChanges(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { changes: InventoryChange[]; source: InventorySource },
): Promise<AppliedChange[]> {
  const { changes, source } = input;
  if (changes.length === 0) return [];
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const skus = [...new Set(changes.map((c) => c.sku))].sort();
    const firstName = new Map<string, string>();
    for (const c of changes) if (c.name && !firstName.has(c.sku)) firstName.set(c.sku, c.name);

    const created = new Set<string>();
    for (let i = 0; i < skus.length; i += CHUNK) {
      const rows = skus
        .slice(i, i + CHUNK)
        .map((sku) => ({ sku, name: firstName.get(sku) ?? sku, quantity: 0, createdAt: now, updatedAt: now }));
      const inserted = await tx.insert(products).values(rows).onConflictDoNothing().returning({ sku: products.sku });
      for (const r of inserted) created.add(r.sku);
    }

    const current = new Map<string, Product>();
    for (let i = 0; i < skus.length; i += CHUNK) {
      const rows = await tx
        .select()
        .from(products)
        .where(inArray(products.sku, skus.slice(i, i + CHUNK)))
        .orderBy(asc(products.sku))
        .for('update');
      for (const r of rows) current.set(r.sku, r);
    }

    const results: AppliedChange[] = [];
    const events: NewInventoryEvent[] = [];
    const dirty = new Map<string, { product: Product; hasEvent: boolean }>();
    for (const change of changes) {
      const before = current.get(change.sku);
      if (!before) throw new Error(`product ${change.sku} vanished inside its transaction`);
      const isCreation = created.has(change.sku) && !dirty.has(change.sku);
      if (
        !isCreation &&
        change.sourceUpdatedAt &&
        before.sourceUpdatedAt &&
        change.sourceUpdatedAt < before.sourceUpdatedAt
      ) {
        results.push({ sku: change.sku, outcome: 'stale', product: toView(before) });
        continue;
      }
      const after = merge(before, change);
      const stockChanged =
        after.quantity !== before.quantity || after.eta !== before.eta || after.etaReason !== before.etaReason;
      const otherChanged =
        after.name !== before.name ||
        after.url !== before.url ||
        after.imageUrl !== before.imageUrl ||
        after.backorderable !== before.backorderable ||
        after.sourceUpdatedAt?.getTime() !== before.sourceUpdatedAt?.getTime();
      if (isCreation || stockChanged) {
        events.push({
          sku: change.sku,
          oldQuantity: isCreation ? null : before.quantity,
          newQuantity: after.quantity,
          oldEta: isCreation ? null : before.eta,
          newEta: after.eta,
          etaReason: after.etaReason,
          reason: change.reason ?? null,
          source,
          receivedAt: now,
        });
      }
      if (isCreation || stockChanged || otherChanged) {
        after.updatedAt = now;
        current.set(change.sku, after);
        dirty.set(change.sku, {
          product: after,
          hasEvent: (dirty.get(change.sku)?.hasEvent ?? false) || isCreation || stockChanged,
        });
        results.push({ sku: change.sku, outcome: isCreation ? 'created' : 'updated', product: toView(after) });
      } else {
        results.push({ sku: change.sku, outcome: 'unchanged', product: toView(before) });
      }
    }

    const updates = [...dirty.values()];
    for (let i = 0; i < updates.length; i += CHUNK) await writeProducts(tx, updates.slice(i, i + CHUNK), now);
    for (let i = 0; i < events.length; i += CHUNK) await tx.insert(inventoryEvents).values(events.slice(i, i + CHUNK));
    // Wakes the workers' restock scan when this transaction commits (src/jobs/wake-loop.ts): a restock
    // or ETA change is acted on within its settle window, not at the next cron tick.
    if (events.length > 0) await tx.execute(wakeSql('inventory'));
    return results;
  });
}

function merge(p: Product, c: InventoryChange): Product {
  return {
    ...p,
    quantity: c.quantity ?? p.quantity,
    name: c.name ?? p.name,
    url: c.url === undefined ? p.url : c.url,
    imageUrl: c.imageUrl === undefined ? p.imageUrl : c.imageUrl,
    eta: c.eta === undefined ? p.eta : c.eta,
    // Clearing the ETA clears its reason unless a new reason comes with it.
    etaReason: c.etaReason !== undefined ? c.etaReason : c.eta === null ? null : p.etaReason,
    backorderable: c.backorderable ?? p.backorderable,
    sourceUpdatedAt:
      c.sourceUpdatedAt && (!p.sourceUpdatedAt || c.sourceUpdatedAt > p.sourceUpdatedAt)
        ? c.sourceUpdatedAt
        : p.sourceUpdatedAt,
  };
}

/**
 * One UPDATE per chunk (jsonb_to_recordset works the same on PostgreSQL 15 and PGlite). The
 * `= any(array(…))` gives the planner a primary-key index condition instead of a hash join over
 * every product.
 */
async function writeProducts(tx: Db, rows: { product: Product; hasEvent: boolean }[], now: Date): Promise<void> {
  const payload = JSON.stringify(
    rows.map(({ product: p, hasEvent }) => ({
      sku: p.sku,
      name: p.name,
      url: p.url,
      image_url: p.imageUrl,
      quantity: p.quantity,
      backorderable: p.backorderable,
      eta: p.eta,
      eta_reason: p.etaReason,
      source_updated_at: p.sourceUpdatedAt?.toISOString() ?? null,
      has_event: hasEvent,
    })),
  );
  const at = now.toISOString();
  await tx.execute(sql`
    update products p set
      name = v.name, url = v.url, image_url = v.image_url, quantity = v.quantity,
      backorderable = v.backorderable, eta = v.eta, eta_reason = v.eta_reason,
      source_updated_at = v.source_updated_at, updated_at = ${at}::timestamptz,
      scan_after = case when v.has_event then least(coalesce(p.scan_after, ${at}::timestamptz), ${at}::timestamptz) else p.scan_after end
    from jsonb_to_recordset(${payload}::jsonb) as v(
      sku text, name text, url text, image_url text, quantity int, backorderable boolean,
      eta date, eta_reason text, source_updated_at timestamptz, has_event boolean)
    where p.sku = v.sku
      and p.sku = any(array(select jsonb_array_elements(${payload}::jsonb) ->> 'sku'))`);
}

function toView(p: Product): ProductView {
  return {
    sku: p.sku,
    name: p.name,
    url: p.url,
    imageUrl: p.imageUrl,
    quantity: p.quantity,
    backorderable: p.backorderable,
    eta: p.eta,
    etaReason: p.etaReason,
    updatedAt: p.updatedAt.toISOString(),
  };
}
