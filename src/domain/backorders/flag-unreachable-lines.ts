import { sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import { rows, type Db } from '../../db/client.js';
import { backorderEvents, backorders, type Backorder } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import type { BackorderOutbox } from './notices.js';

/** The ledger kinds that email a customer about an order line (`deliveries.ref_id` = the line). */
/**
 * A line's notices are queued when the line changes (that sets `updated_at`), and they are skipped or
 * hard-bounce within the retry window: a week back is ample and keeps the check off the whole book.
 */
const RECENT_MS = 7 * 86_400_000;

const LINE_NOTICE_KINDS = ['backorder-confirmed', 'delivery-date-revised', 'order-shipping-soon'] as const;

/**
 * Flags order lines whose customer cannot be emailed: a notice of the line was skipped at claim time
 * because the address hard-bounced before, or it hard-bounced itself (the ledger then suppressed the
 * address). The shop sees `unreachable` in the backlog and gets one `backorder.unreachable` webhook per
 * line, so someone can call. Runs after each send pass; cheap because it reads only lines changed in the
 * last week and not yet flagged (partial index), and their final rows through `(kind, ref_id)`.
 */
export async function flagUnreachableLines(
  deps: { db: Db; clock: Clock },
  outbox: BackorderOutbox,
): Promise<{ flagged: number }> {
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const hit = await rows<{ id: number }>(
      tx,
      sql`select b.id from backorders b
          where not b.unreachable and b.updated_at > ${new Date(now.getTime() - RECENT_MS).toISOString()}::timestamptz and exists (
            select 1 from deliveries d
            where d.ref_id = b.id and d.kind = any(${`{${LINE_NOTICE_KINDS.join(',')}}`}::text[]) and d.status in ('skipped', 'failed')
              and exists (select 1 from suppressions x where x.email = d.recipient_normalized and x.reason = 'hard_bounce'))
          order by b.id
          for update of b skip locked`,
    );
    if (hit.length === 0) return { flagged: 0 };
    const lines: Backorder[] = await tx
      .update(backorders)
      .set({ unreachable: true, updatedAt: now })
      .where(sql`${backorders.id} = any(${`{${hit.map((h) => h.id).join(',')}}`}::bigint[])`)
      .returning();
    await tx.insert(backorderEvents).values(
      lines.map((l) => ({
        backorderId: l.id,
        type: 'unreachable',
        source: 'system',
        reason: 'the address hard-bounced',
        at: now,
      })),
    );
    await outbox.orderEvents(
      tx,
      lines.map((line) => ({ type: 'backorder.unreachable' as const, line, at: now })),
    );
    return { flagged: lines.length };
  });
}
