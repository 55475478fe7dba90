import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { backorderEvents, backorders, type Backorder } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import { refundDueBy } from './refund-clock.js';

export const Choice = z.enum(['wait', 'cancel']);
export type Choice = z.infer<typeof Choice>;
export type AnswerResult = { line: Backorder; changed: boolean };

export type AnswerCtx = {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'backorders'>;
  /** Runs in the answer's transaction (the shop's webhook, reallocation of freed units). */
  onAnswer?: (tx: Db, line: Backorder, choice: Choice, before: Backorder) => Promise<void>;
};

/**
 * Records a customer's answer from the order page (a POST; a GET never gets here). Express consent:
 * - `wait` on an `open` line: consent to the date the last notice gave — `shipBy` becomes that date, or,
 *   after a notice without a date, consent to an indefinite delay (no additional notices; they may
 *   still cancel until shipment). On a `cancel_due` line (the option came late or the consent lapsed)
 *   it is the express consent the lapse email asks for: the line is open again, the refund no longer due.
 * - `cancel`: any line not yet shipped — `open`, `allocated` (allocation is not shipment, 16 CFR 435.1)
 *   or `cancel_due` — becomes `cancelled` with its refund due date (seven working days; one billing
 *   cycle with credit).
 * Repeating an answer already in effect changes nothing (`changed: false`), so a double click sends one
 * webhook. An allocated line answering `wait` has nothing to consent to (`changed: false`).
 * @throws AppError NOT_FOUND (no line), CONFLICT (fulfilled or cancelled by the shop, or refunded).
 */
export async function recordCustomerAnswer(
  ctx: AnswerCtx,
  input: { backorderId: number; choice: Choice },
): Promise<AnswerResult> {
  const { backorderId } = input;
  const choice = Choice.parse(input.choice);
  const now = ctx.clock.now();
  const today = now.toISOString().slice(0, 10);
  return withTx(ctx.db, async (tx) => {
    const [line] = await tx.select().from(backorders).where(eq(backorders.id, backorderId)).for('update');
    if (!line) throw new AppError('NOT_FOUND', 'No such order line.');
    if (choice === 'wait' && line.status === 'open' && line.customerAnswer === 'wait' && !line.awaitingAnswer)
      return { line, changed: false };
    if (choice === 'wait' && line.status === 'allocated') return { line, changed: false };
    if (choice === 'cancel' && line.status === 'cancelled' && line.customerAnswer === 'cancel')
      return { line, changed: false };
    const answerable = line.status === 'open' || line.status === 'allocated' || line.status === 'cancel_due';
    if (!answerable || line.refundedAt !== null)
      throw new AppError('CONFLICT', `The order line is ${line.status}; it can no longer be changed here.`);
    const indefinite = line.noticeRevision > 0 && line.noticedDate === null;
    const changes: Partial<Backorder> =
      choice === 'wait'
        ? {
            status: 'open',
            customerAnswer: 'wait',
            awaitingAnswer: false,
            consentDeadline: null,
            consentedIndefinite: indefinite,
            shipBy: indefinite ? line.shipBy : (line.noticedDate ?? line.shipBy),
            refundDueBy: null,
            updatedAt: now,
          }
        : {
            customerAnswer: 'cancel',
            awaitingAnswer: false,
            status: 'cancelled',
            refundDueBy: line.refundDueBy ?? refundDueBy(today, line, ctx.config.backorders.creditBillingCycleDays),
            updatedAt: now,
          };
    const [after] = await tx.update(backorders).set(changes).where(eq(backorders.id, line.id)).returning();
    const statusChanged = after!.status !== line.status;
    await tx.insert(backorderEvents).values([
      { backorderId: line.id, type: 'answer', source: 'customer', answer: choice, at: now },
      ...(statusChanged
        ? [
            {
              backorderId: line.id,
              type: 'status',
              source: 'customer',
              oldStatus: line.status,
              newStatus: after!.status,
              reason: `customer chose to ${choice}`,
              at: now,
            },
          ]
        : []),
    ]);
    await ctx.onAnswer?.(tx, after!, choice, line);
    return { line: after!, changed: true };
  });
}
