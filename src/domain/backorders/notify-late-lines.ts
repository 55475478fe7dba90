import { and, eq, gt, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { backorders } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { applyDelayNotices } from './apply-delay-notices.js';
import type { BackorderOutbox } from './notices.js';

/**
 * Daily: open lines whose expected ship date passed without shipping and without a newer notice get
 * the delay option notice the shop forgot to trigger — the promise to tell the customer is kept even
 * when nobody updated the ETA. Once per lapse: the rule treats a passed date as "no date", so after
 * that notice nothing is due until the shop gives a new date (and that one lapses); `late_notice_for`
 * narrows the scan to lapses not yet handled. Fulfilled, allocated and cancelled lines are not open
 * and get nothing. Batches with SKIP LOCKED, one transaction each (line state, history and the
 * queued notice together).
 */
export async function notifyLateLines(deps: { db: Db; clock: Clock; config: Parameters<typeof applyDelayNotices>[1] }, outbox: BackorderOutbox, batchSize = 500): Promise<{ examined: number; notices: number }> {
  const now = deps.clock.now();
  const today = now.toISOString().slice(0, 10);
  const summary = { examined: 0, notices: 0 };
  let afterId = 0;
  for (;;) {
    const n = await withTx(deps.db, async (tx) => {
      const lines = await tx
        .select()
        .from(backorders)
        .where(
          and(
            eq(backorders.status, 'open'),
            eq(backorders.notify, true),
            isNotNull(backorders.expectedDate),
            lt(backorders.expectedDate, today),
            or(isNull(backorders.lateNoticeFor), ne(backorders.lateNoticeFor, backorders.expectedDate)),
            gt(backorders.id, afterId),
          ),
        )
        .orderBy(backorders.id)
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (lines.length === 0) return 0;
      afterId = lines.at(-1)!.id;
      summary.examined += lines.length;
      summary.notices += (await applyDelayNotices(tx, deps.config, outbox, lines, today, now)).length;
      // Lapses the rule had nothing to say about (the customer already holds no date) are handled too.
      await tx
        .update(backorders)
        .set({ lateNoticeFor: sql`${backorders.expectedDate}` })
        .where(and(inArray(backorders.id, lines.map((l) => l.id)), or(isNull(backorders.lateNoticeFor), ne(backorders.lateNoticeFor, backorders.expectedDate))));
      return lines.length;
    });
    if (n < batchSize) break;
  }
  return summary;
}
