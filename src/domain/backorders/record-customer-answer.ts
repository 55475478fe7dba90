import { eq } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { backorderEvents, backorders, type Backorder } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';

export type Choice = 'wait' | 'cancel';
export type AnswerResult = { line: Backorder; changed: boolean };

/**
 * Records a customer's answer from the order page (a POST; a GET never gets here).
 * - `wait`: consent to the delay — ends the wait for an answer and clears the deadline; after a notice
 *   without a date it is consent to an indefinite delay, so no renewed notice is needed (16 CFR
 *   435.2(b)(2) proviso) while the customer keeps the right to cancel until shipment.
 * - `cancel`: the line becomes `cancelled` (the shop refunds; 435.2(c)(1)).
 * Only `open` lines take answers. Repeating the same answer changes nothing and returns `changed: false`,
 * so a double click sends one webhook. `onAnswer` runs in the same transaction (the shop's webhook is
 * queued atomically with the answer).
 * @throws AppError NOT_FOUND (no line), CONFLICT (the line is no longer open).
 */
export async function recordCustomerAnswer(
  deps: { db: Db; clock: Clock },
  backorderId: number,
  choice: Choice,
  onAnswer?: (tx: Db, line: Backorder, choice: Choice) => Promise<void>,
): Promise<AnswerResult> {
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const [line] = await tx.select().from(backorders).where(eq(backorders.id, backorderId)).for('update');
    if (!line) throw new AppError('NOT_FOUND', 'No such order line.');
    if (choice === 'wait' && line.status === 'open' && line.customerAnswer === 'wait' && !line.awaitingAnswer) return { line, changed: false };
    if (choice === 'cancel' && line.status === 'cancelled') return { line, changed: false };
    if (line.status !== 'open') throw new AppError('CONFLICT', `The order line is ${line.status}; it can no longer be changed here.`);
    const changes: Partial<Backorder> =
      choice === 'wait'
        ? { customerAnswer: 'wait', awaitingAnswer: false, consentDeadline: null, consentedIndefinite: line.noticeRevision > 0 && line.noticedDate === null, updatedAt: now }
        : { customerAnswer: 'cancel', awaitingAnswer: false, status: 'cancelled', updatedAt: now };
    const [after] = await tx.update(backorders).set(changes).where(eq(backorders.id, line.id)).returning();
    await tx.insert(backorderEvents).values([
      { backorderId: line.id, type: 'answer', source: 'customer', answer: choice, at: now },
      ...(choice === 'cancel' ? [{ backorderId: line.id, type: 'status', source: 'customer', oldStatus: line.status, newStatus: 'cancelled', reason: 'customer chose to cancel', at: now }] : []),
    ]);
    await onAnswer?.(tx, after!, choice);
    return { line: after!, changed: true };
  });
}
