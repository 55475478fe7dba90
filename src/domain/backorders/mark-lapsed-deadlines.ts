import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { backorderEvents, backorders } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import type { BackorderOutbox } from './notices.js';

/**
 * Daily: open lines that asked for consent and got no answer by their deadline become `cancel_due`
 * (16 CFR 435.2(c)(2)/(c)(3): the order is then to be cancelled and refunded — by the shop, which
 * hears it as a `backorder.cancel_due` webhook). The deadline day itself still belongs to the
 * customer: a line is due only once the deadline is BEFORE today. Lines are claimed through the
 * partial index on waiting lines, in batches, with SKIP LOCKED; each batch is one transaction with
 * its history events and webhooks, so a rerun finds nothing.
 */
export async function markLapsedDeadlines(deps: { db: Db; clock: Clock }, outbox: BackorderOutbox, batchSize = 500): Promise<{ cancelDue: number }> {
  const now = deps.clock.now();
  const today = now.toISOString().slice(0, 10);
  let total = 0;
  for (;;) {
    const n = await withTx(deps.db, async (tx) => {
      const due = await tx
        .select({ id: backorders.id })
        .from(backorders)
        .where(and(eq(backorders.awaitingAnswer, true), eq(backorders.status, 'open'), lt(backorders.consentDeadline, today)))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (due.length === 0) return 0;
      const lines = await tx
        .update(backorders)
        .set({ status: 'cancel_due', awaitingAnswer: false, updatedAt: now })
        .where(inArray(backorders.id, due.map((d) => d.id)))
        .returning();
      await tx.insert(backorderEvents).values(lines.map((l) => ({ backorderId: l.id, type: 'cancel_due', source: 'system', oldStatus: 'open', newStatus: 'cancel_due', oldDate: l.consentDeadline, at: now })));
      await outbox.orderEvents(tx, lines.map((line) => ({ type: 'backorder.cancel_due' as const, line, at: now })));
      return lines.length;
    });
    total += n;
    if (n < batchSize) break;
  }
  return { cancelDue: total };
}
