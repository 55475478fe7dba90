import { eq, inArray } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { backorders, products, type Backorder } from '../../db/schema/index.js';
import { allocateRestock } from './allocate-restock.js';
import { applyDelayNotices, type DelayConfig } from './apply-delay-notices.js';
import { lineVariables, type BackorderOutbox } from './notices.js';
import type { Choice } from './record-customer-answer.js';
import type { UpdateResult } from './update-backorder.js';

type HookDeps = { clock: Clock; config: DelayConfig };

/**
 * The transaction hooks that turn backorder changes into notices and order events:
 * - a registered line (with notify) gets ONE email: `backorder-confirmed` when its promise can be kept,
 *   else the delay option notice worded for a new order (16 CFR 435.2(b)(1): the option "in no event
 *   later than said applicable time"), or, when the promise has already passed, the (c)(5) lapse email;
 * - a shop's revised date runs the delay rule for that line; a line the shop sets to `allocated` gets
 *   `order-shipping-soon`; units freed by cancelling an allocated line go to the next open line;
 * - a customer's answer becomes `backorder.customer_waits` / `backorder.customer_cancelled` for the shop.
 * Each runs inside the transaction of the change, so the message exists iff the change committed.
 */
export function backorderHooks(deps: HookDeps, outbox: BackorderOutbox) {
  const ctx = (tx: Db) => ({ tx, config: deps.config, outbox });
  return {
    async onCreated(tx: Db, created: Backorder[]): Promise<void> {
      const lines = created.filter((l) => l.notify);
      if (lines.length === 0) return;
      const now = deps.clock.now();
      const outcome = await applyDelayNotices(ctx(tx), { lines, now, atRegistration: true });
      const told = new Set([...outcome.notices.map((n) => n.lineId), ...outcome.lapses.map((l) => l.lineId)]);
      const confirm = lines.filter((l) => !told.has(l.id));
      if (confirm.length === 0) return;
      const skus = [...new Set(confirm.map((l) => l.sku))];
      const names = new Map(
        (
          await tx.select({ sku: products.sku, name: products.name }).from(products).where(inArray(products.sku, skus))
        ).map((p) => [p.sku, p.name]),
      );
      await outbox.notices(
        tx,
        confirm.map((line) => ({
          kind: 'backorder-confirmed' as const,
          line,
          revision: 0,
          variables: {
            ...lineVariables(line, names.get(line.sku) ?? line.sku),
            promisedDate: line.promisedDate,
          },
        })),
      );
    },
    async afterChange(tx: Db, result: UpdateResult): Promise<void> {
      const now = deps.clock.now();
      const { before } = result;
      let line = result.after;
      if (result.dateChanged) {
        await applyDelayNotices(ctx(tx), { lines: [line], now });
        const [decided] = await tx.select().from(backorders).where(eq(backorders.id, line.id));
        line = decided ?? line;
      }
      // The shop allocated stock itself: the customer hears it as from an automatic allocation (once per line).
      if (line.notify && line.status === 'allocated' && before.status !== 'allocated') {
        const [p] = await tx.select({ name: products.name }).from(products).where(eq(products.sku, line.sku));
        await outbox.notices(tx, [
          {
            kind: 'order-shipping-soon',
            line,
            revision: 0,
            variables: lineVariables(line, p?.name ?? line.sku),
          },
        ]);
      }
      if (before.status === 'allocated' && line.status === 'cancelled')
        await allocateRestock({ tx, config: deps.config, outbox }, { sku: line.sku, now });
    },
    async onAnswer(tx: Db, line: Backorder, choice: Choice, before?: Backorder): Promise<void> {
      const now = deps.clock.now();
      await outbox.orderEvents(tx, [
        { type: choice === 'wait' ? 'backorder.customer_waits' : 'backorder.customer_cancelled', line, at: now },
      ]);
      // Allocation is not shipment (16 CFR 435.1): the customer may cancel; the units go to the next line.
      if (choice === 'cancel' && before?.status === 'allocated')
        await allocateRestock({ tx, config: deps.config, outbox }, { sku: line.sku, now });
    },
  };
}
