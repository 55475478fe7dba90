import { and, eq } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { backorderEvents, backorders, type Backorder, type BackorderStatus, type NewBackorderEvent } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import type { BackorderPatch, BackorderSource } from './backorder-input.js';

const FINAL: BackorderStatus[] = ['fulfilled', 'cancelled'];

export type UpdateResult = { before: Backorder; after: Backorder; dateChanged: boolean };

/**
 * Applies a shop's change to one line (status and/or revised date), with history.
 * Status: `fulfilled` and `cancelled` are final (any other status afterwards → CONFLICT); leaving
 * `open`/`cancel_due` ends any wait for a customer answer. A revised date (`promisedDate`, null =
 * unknown) sets the line's expected date and reason; the original promise is never overwritten.
 * `afterChange` runs in the same transaction (the delay-notice hook: a notice is queued atomically
 * with the date that caused it).
 * @throws AppError NOT_FOUND (no such line), CONFLICT (final status, or a date on a closed line).
 */
export async function updateBackorder(
  deps: { db: Db; clock: Clock },
  key: { orderId: string; sku: string },
  patch: BackorderPatch,
  source: BackorderSource,
  afterChange?: (tx: Db, result: UpdateResult) => Promise<void>,
): Promise<UpdateResult> {
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const [before] = await tx
      .select()
      .from(backorders)
      .where(and(eq(backorders.orderId, key.orderId), eq(backorders.sku, key.sku)))
      .for('update');
    if (!before) throw new AppError('NOT_FOUND', `No backorder line for order "${key.orderId}" and SKU "${key.sku}".`);
    const changes: Partial<Backorder> = {};
    const events: NewBackorderEvent[] = [];
    const reason = patch.reason ?? null;
    if (patch.status !== undefined && patch.status !== before.status) {
      if (FINAL.includes(before.status)) {
        throw new AppError('CONFLICT', `The line is already ${before.status}; its status cannot change any more.`, { details: [{ path: 'status', message: `line is ${before.status}` }] });
      }
      changes.status = patch.status;
      if (patch.status !== 'open') changes.awaitingAnswer = false;
      events.push({ backorderId: before.id, type: 'status', source, oldStatus: before.status, newStatus: patch.status, reason, at: now });
    }
    const status = changes.status ?? before.status;
    let dateChanged = false;
    if (patch.promisedDate !== undefined && (patch.promisedDate !== before.expectedDate || (reason !== null && reason !== before.expectedReason))) {
      if (FINAL.includes(status)) {
        throw new AppError('CONFLICT', `The line is ${status}; its date cannot change.`, { details: [{ path: 'promisedDate', message: `line is ${status}` }] });
      }
      dateChanged = patch.promisedDate !== before.expectedDate;
      changes.expectedDate = patch.promisedDate;
      changes.expectedReason = reason;
      events.push({ backorderId: before.id, type: 'date_revised', source, oldDate: before.expectedDate, newDate: patch.promisedDate, reason, at: now });
    }
    if (events.length === 0) return { before, after: before, dateChanged: false };
    const [after] = await tx
      .update(backorders)
      .set({ ...changes, updatedAt: now })
      .where(eq(backorders.id, before.id))
      .returning();
    await tx.insert(backorderEvents).values(events);
    const result = { before, after: after!, dateChanged };
    await afterChange?.(tx, result);
    return result;
  });
}
