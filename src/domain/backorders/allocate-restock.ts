import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import { rows, type Db } from '../../db/client.js';
import { backorderEvents, backorders, products } from '../../db/schema/index.js';
import { allocateStock } from './allocate-stock.js';
import { lineVariables, type BackorderOutbox } from './notices.js';

export type AllocateConfig = Pick<Config, 'backorders' | 'restock' | 'publicBaseUrl'> & { appSecret: string };
export type RestockAllocation = { sku: string; allocatedLines: number; allocatedUnits: number; toWaitlist: number };

/**
 * The I/O shell of `allocateStock` for one SKU whose stock arrived: units on hand minus units already
 * held by `allocated` lines are free; open lines (locked, oldest order first) get whole-line
 * allocations, each becomes `allocated` with an `allocated` history event and an `order-shipping-soon`
 * notice. Runs in the transaction that confirms the restock, BEFORE any waitlist wave is planned: the
 * wave planner counts only units not held by allocated lines.
 */
export async function allocateRestock(
  ctx: { tx: Db; config: AllocateConfig; outbox: BackorderOutbox },
  input: { sku: string; now: Date },
): Promise<RestockAllocation> {
  const { tx, config, outbox } = ctx;
  const { sku, now } = input;
  const [product] = await tx.select().from(products).where(eq(products.sku, sku));
  const none = { sku, allocatedLines: 0, allocatedUnits: 0, toWaitlist: 0 };
  if (!product) return none;
  const open = await tx
    .select()
    .from(backorders)
    .where(and(eq(backorders.sku, sku), eq(backorders.status, 'open')))
    .orderBy(backorders.orderedAt, backorders.id)
    .for('update');
  const [held] = await rows<{ units: number; waitlist: number }>(
    tx,
    sql`select coalesce((select sum(quantity) from backorders where sku = ${sku} and status = 'allocated'), 0)::int as units,
          (select count(*) from subscriptions where sku = ${sku} and status = 'active')::int as waitlist`,
  );
  const free = Math.max(0, product.quantity - (held?.units ?? 0));
  const { notifyPerUnit, auto } = config.restock;
  // NOTIFY_PER_UNIT=auto: the waitlist's claim on the stock is judged by wave 1's ratio.
  const perUnit = notifyPerUnit === 'auto' ? auto.startPerUnit : notifyPerUnit;
  const waitlistDemand = perUnit > 0 ? Math.ceil((held?.waitlist ?? 0) / perUnit) : free;
  const plan = allocateStock({ units: free, lines: open, order: config.backorders.allocationOrder, waitlistDemand });
  if (plan.allocate.length === 0) return { ...none, toWaitlist: plan.toWaitlist };
  const ids = plan.allocate.map((a) => a.id);
  const allocated = await tx
    .update(backorders)
    .set({ status: 'allocated', awaitingAnswer: false, updatedAt: now })
    .where(inArray(backorders.id, ids))
    .returning();
  await tx.insert(backorderEvents).values(
    allocated.map((l) => ({
      backorderId: l.id,
      type: 'allocated',
      source: 'system',
      oldStatus: 'open',
      newStatus: 'allocated',
      at: now,
    })),
  );
  await outbox.notices(
    tx,
    allocated
      .filter((l) => l.notify)
      .map((line) => ({
        kind: 'order-shipping-soon' as const,
        line,
        revision: 0,
        variables: lineVariables(line, product.name),
      })),
  );
  return {
    sku,
    allocatedLines: allocated.length,
    allocatedUnits: allocated.reduce((s, l) => s + l.quantity, 0),
    toWaitlist: plan.toWaitlist,
  };
}
