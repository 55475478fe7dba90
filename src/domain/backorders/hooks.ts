import { inArray } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { products, type Backorder } from '../../db/schema/index.js';
import { applyDelayNotices } from './apply-delay-notices.js';
import { lineVariables, type BackorderOutbox } from './notices.js';
import type { Choice } from './record-customer-answer.js';
import type { UpdateResult } from './update-backorder.js';

type HookDeps = { clock: Clock; config: Parameters<typeof applyDelayNotices>[1] };

/**
 * The transaction hooks that turn backorder changes into notices and order events:
 * - a registered line (with notify) gets `backorder-confirmed`;
 * - a shop's revised date runs the delay rule for that line (`delivery-date-revised` when due), and a
 *   line the shop sets to `allocated` gets `order-shipping-soon`;
 * - a customer's answer becomes `backorder.customer_waits` / `backorder.customer_cancelled` for the shop.
 * Each runs inside the transaction of the change, so the message exists iff the change committed.
 */
export function backorderHooks(deps: HookDeps, outbox: BackorderOutbox) {
  return {
    async onCreated(tx: Db, created: Backorder[]): Promise<void> {
      const lines = created.filter((l) => l.notify);
      if (lines.length === 0) return;
      const names = new Map((await tx.select({ sku: products.sku, name: products.name }).from(products).where(inArray(products.sku, [...new Set(lines.map((l) => l.sku))]))).map((p) => [p.sku, p.name]));
      await outbox.notices(
        tx,
        lines.map((line) => ({ kind: 'backorder-confirmed' as const, line, revision: 0, variables: { ...lineVariables(deps.config, line, names.get(line.sku) ?? line.sku), promisedDate: line.promisedDate } })),
      );
      // Registered already behind its promise (the product's ETA is later): the delay notice goes out
      // with the confirmation rather than after the promised date has lapsed.
      const late = lines.filter((l) => l.expectedDate !== null && l.expectedDate > l.promisedDate);
      if (late.length > 0) {
        const now = deps.clock.now();
        await applyDelayNotices(tx, deps.config, outbox, late, now.toISOString().slice(0, 10), now);
      }
    },
    async afterChange(tx: Db, result: UpdateResult): Promise<void> {
      const now = deps.clock.now();
      const line = result.after;
      if (result.dateChanged) await applyDelayNotices(tx, deps.config, outbox, [line], now.toISOString().slice(0, 10), now);
      // The shop allocated stock itself: the customer hears it as from an automatic allocation (once per line).
      if (line.notify && line.status === 'allocated' && result.before.status !== 'allocated') {
        const [p] = await tx.select({ name: products.name }).from(products).where(inArray(products.sku, [line.sku]));
        await outbox.notices(tx, [{ kind: 'order-shipping-soon', line, revision: 0, variables: lineVariables(deps.config, line, p?.name ?? line.sku) }]);
      }
    },
    async onAnswer(tx: Db, line: Backorder, choice: Choice): Promise<void> {
      await outbox.orderEvents(tx, [{ type: choice === 'wait' ? 'backorder.customer_waits' : 'backorder.customer_cancelled', line, at: deps.clock.now() }]);
    },
  };
}
