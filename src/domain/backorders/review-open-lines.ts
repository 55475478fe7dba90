import { and, eq, gt, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { backorders } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { addDays } from './backorder-input.js';
import { applyDelayNotices, type DelayConfig } from './apply-delay-notices.js';
import type { BackorderOutbox } from './notices.js';

export type ReviewCtx = { db: Db; clock: Clock; config: DelayConfig; outbox: BackorderOutbox };
export type ReviewSummary = { examined: number; notices: number; cancelDue: number };

/**
 * Daily: every open line whose ship-by date (the applicable time, or the date the customer consented
 * to, or the consent deadline awaited) is within DELAY_NOTICE_LEAD_DAYS or already passed goes through
 * the delay rule (`decideDelayNotice`):
 * - still ahead, nothing backing it → the delay option notice, before the date (16 CFR 435.2(b)(1));
 * - passed with an answer awaited → `cancel_due` ((c)(2)/(c)(3)); passed with no option offered →
 *   `cancel_due` ((c)(5)) and one email saying the order will be cancelled and refunded unless the
 *   customer chooses to keep waiting.
 * Lines that expressly accepted an indefinite delay, and `notify: false` lines, are the shop's. Batches
 * with SKIP LOCKED, one transaction each (line state, history, queued emails and webhooks together); a
 * rerun the same day finds nothing new (notices move `ship_by`/`awaiting_answer`, lapses leave `open`).
 */
export async function reviewOpenLines(ctx: ReviewCtx, input: { batchSize?: number } = {}): Promise<ReviewSummary> {
  const batchSize = input.batchSize ?? 500;
  const now = ctx.clock.now();
  const today = now.toISOString().slice(0, 10);
  const horizon = addDays(today, ctx.config.backorders.noticeLeadDays);
  const summary: ReviewSummary = { examined: 0, notices: 0, cancelDue: 0 };
  let afterId = 0;
  for (;;) {
    const n = await withTx(ctx.db, async (tx) => {
      const lines = await tx
        .select()
        .from(backorders)
        .where(
          and(
            eq(backorders.status, 'open'),
            eq(backorders.notify, true),
            eq(backorders.consentedIndefinite, false),
            sql`coalesce(${backorders.shipBy}, ${backorders.consentDeadline}, ${backorders.noticedDate},
              ${backorders.promisedDate}) <= ${horizon}::date`,
            gt(backorders.id, afterId),
          ),
        )
        .orderBy(backorders.id)
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (lines.length === 0) return 0;
      afterId = lines.at(-1)!.id;
      summary.examined += lines.length;
      const outcome = await applyDelayNotices({ tx, config: ctx.config, outbox: ctx.outbox }, { lines, now });
      summary.notices += outcome.notices.length;
      summary.cancelDue += outcome.lapses.length;
      return lines.length;
    });
    if (n < batchSize) break;
  }
  return summary;
}
