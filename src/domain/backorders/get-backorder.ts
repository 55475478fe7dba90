import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { backorderEvents, backorders, type Backorder, type BackorderEvent } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

export type BackorderWithEvents = { backorder: Backorder; events: BackorderEvent[] };

/**
 * One line with its history, oldest event first.
 * @throws AppError NOT_FOUND when there is no such line.
 */
export async function getBackorder(
  deps: { db: Db },
  key: { orderId: string; sku: string } | { id: number },
): Promise<BackorderWithEvents> {
  const where =
    'id' in key ? eq(backorders.id, key.id) : and(eq(backorders.orderId, key.orderId), eq(backorders.sku, key.sku));
  const [backorder] = await deps.db.select().from(backorders).where(where);
  if (!backorder) throw new AppError('NOT_FOUND', 'No such backorder line.');
  const events = await deps.db
    .select()
    .from(backorderEvents)
    .where(eq(backorderEvents.backorderId, backorder.id))
    .orderBy(asc(backorderEvents.id));
  return { backorder, events };
}

/** An event as the API and the customer page show it. */
export function toEventView(e: BackorderEvent) {
  return {
    type: e.type,
    source: e.source,
    oldStatus: e.oldStatus,
    newStatus: e.newStatus,
    oldDate: e.oldDate,
    newDate: e.newDate,
    reason: e.reason,
    notice: e.notice,
    answer: e.answer,
    at: e.at.toISOString(),
  };
}
