import { and, eq } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import {
  backorderEvents,
  backorders,
  type Backorder,
  type BackorderStatus,
  type NewBackorderEvent,
} from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import { BackorderPatch, type BackorderSource } from './backorder-input.js';
import { refundDueBy } from './refund-clock.js';

const FINAL: BackorderStatus[] = ['fulfilled', 'cancelled'];

export type UpdateResult = { before: Backorder; after: Backorder; dateChanged: boolean };

export type UpdateCtx = {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'backorders'>;
  /** Runs in the same transaction (the delay-notice hook: a notice is queued atomically with its date). */
  afterChange?: (tx: Db, result: UpdateResult) => Promise<void>;
};

export type UpdateInput = { orderId: string; sku: string; patch: BackorderPatch; source: BackorderSource };

/**
 * Applies a shop's change to one line (status, revised date, refund made), with history.
 * Status: `fulfilled` and `cancelled` are final (any other status afterwards → CONFLICT); leaving
 * `open`/`cancel_due` ends any wait for a customer answer; `cancelled` starts the refund clock (kept when
 * it already runs). A revised date (`promisedDate`, null = unknown) sets the line's expected date and
 * reason; the original promise is never overwritten. `refundedAt` records the refund of a cancelled or
 * cancel_due line (CONFLICT on any other). The returned `after` is read after `afterChange`, so it
 * shows the line with any notice that change caused already decided.
 * @throws AppError VALIDATION (bad patch), NOT_FOUND (no such line), CONFLICT (final status, a date on a
 * closed line, a refund on a line that is not cancelled).
 */
export async function updateBackorder(ctx: UpdateCtx, input: UpdateInput): Promise<UpdateResult> {
  const patch = BackorderPatch.parse(input.patch);
  const { orderId, sku, source } = input;
  const now = ctx.clock.now();
  const today = now.toISOString().slice(0, 10);
  return withTx(ctx.db, async (tx) => {
    const [before] = await tx
      .select()
      .from(backorders)
      .where(and(eq(backorders.orderId, orderId), eq(backorders.sku, sku)))
      .for('update');
    if (!before) throw new AppError('NOT_FOUND', `No backorder line for order "${orderId}" and SKU "${sku}".`);
    const changes: Partial<Backorder> = {};
    const events: NewBackorderEvent[] = [];
    const reason = patch.reason ?? null;
    if (patch.status !== undefined && patch.status !== before.status) {
      if (FINAL.includes(before.status)) {
        throw new AppError('CONFLICT', `The line is already ${before.status}; its status cannot change any more.`, {
          details: [{ path: 'status', message: `line is ${before.status}` }],
        });
      }
      changes.status = patch.status;
      if (patch.status !== 'open') changes.awaitingAnswer = false;
      if (patch.status === 'cancelled')
        changes.refundDueBy =
          before.refundDueBy ?? refundDueBy(today, before, ctx.config.backorders.creditBillingCycleDays);
      events.push({
        backorderId: before.id,
        type: 'status',
        source,
        oldStatus: before.status,
        newStatus: patch.status,
        reason,
        at: now,
      });
    }
    const status = changes.status ?? before.status;
    let dateChanged = false;
    if (
      patch.promisedDate !== undefined &&
      (patch.promisedDate !== before.expectedDate || (reason !== null && reason !== before.expectedReason))
    ) {
      if (FINAL.includes(status)) {
        throw new AppError('CONFLICT', `The line is ${status}; its date cannot change.`, {
          details: [{ path: 'promisedDate', message: `line is ${status}` }],
        });
      }
      dateChanged = patch.promisedDate !== before.expectedDate;
      changes.expectedDate = patch.promisedDate;
      changes.expectedReason = reason;
      events.push({
        backorderId: before.id,
        type: 'date_revised',
        source,
        oldDate: before.expectedDate,
        newDate: patch.promisedDate,
        reason,
        at: now,
      });
    }
    if (patch.refundedAt !== undefined) {
      if (status !== 'cancelled' && status !== 'cancel_due') {
        throw new AppError('CONFLICT', `The line is ${status}; only a cancelled line is refunded.`, {
          details: [{ path: 'refundedAt', message: `line is ${status}` }],
        });
      }
      const refundedAt = new Date(patch.refundedAt);
      if (before.refundedAt?.getTime() !== refundedAt.getTime()) {
        changes.refundedAt = refundedAt;
        events.push({ backorderId: before.id, type: 'refunded', source, reason, at: now });
      }
    }
    if (events.length === 0) return { before, after: before, dateChanged: false };
    const [after] = await tx
      .update(backorders)
      .set({ ...changes, updatedAt: now })
      .where(eq(backorders.id, before.id))
      .returning();
    await tx.insert(backorderEvents).values(events);
    await ctx.afterChange?.(tx, { before, after: after!, dateChanged });
    const [decided] = await tx.select().from(backorders).where(eq(backorders.id, before.id));
    return { before, after: decided!, dateChanged };
  });
}
