import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { backorderEvents, backorders } from '../../db/schema/index.js';
import { applyDelayNotices, type DelayConfig, type DelayOutcome } from './apply-delay-notices.js';
import type { BackorderOutbox } from './notices.js';

export type EtaRevision = { sku: string; newEta: string; reason: string | null };

/**
 * Carries announced ETA revisions of SKUs to their open order lines, then lets the delay rule decide
 * the notices (`applyDelayNotices`). Runs inside the transaction that records the revision (the
 * restock scan's), so every revision reaches the lines exactly once.
 * An ETA only ever moves a line's expected date LATER (or gives a date to a line that had none): a
 * line the shop dated later on its own keeps its date, and good news is not a delay — the customer
 * hears it as `order-shipping-soon` when stock is allocated.
 */
export async function reviseLinesFromEta(
  ctx: { tx: Db; config: DelayConfig; outbox: BackorderOutbox },
  input: { revisions: EtaRevision[]; now: Date },
): Promise<DelayOutcome['notices']> {
  const { tx, config, outbox } = ctx;
  const { revisions, now } = input;
  const notices: DelayOutcome['notices'] = [];
  for (const r of revisions) {
    const lines = await tx
      .select()
      .from(backorders)
      .where(
        and(
          eq(backorders.sku, r.sku),
          eq(backorders.status, 'open'),
          or(isNull(backorders.expectedDate), lt(backorders.expectedDate, r.newEta)),
        ),
      )
      .orderBy(backorders.orderedAt, backorders.id)
      .for('update');
    if (lines.length === 0) continue;
    const moved = await tx
      .update(backorders)
      .set({ expectedDate: r.newEta, expectedReason: r.reason, updatedAt: now })
      .where(
        inArray(
          backorders.id,
          lines.map((l) => l.id),
        ),
      )
      .returning();
    await tx.insert(backorderEvents).values(
      lines.map((l) => ({
        backorderId: l.id,
        type: 'date_revised',
        source: 'system',
        oldDate: l.expectedDate,
        newDate: r.newEta,
        reason: r.reason,
        at: now,
      })),
    );
    notices.push(...(await applyDelayNotices({ tx, config, outbox }, { lines: moved, now })).notices);
  }
  return notices;
}
