import { eq, inArray } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { backorderEvents, backorders, products, type Backorder } from '../../db/schema/index.js';
import { decideDelayNotice, type DelayNotice } from './decide-delay-notice.js';
import { lineVariables, type BackorderOutbox } from './notices.js';

type Cfg = Pick<Config, 'publicBaseUrl' | 'backorders' | 'restock'> & { appSecret: string };

/**
 * The I/O shell of `decideDelayNotice`: for each given line (locked by the caller's transaction) the
 * rule decides; a due notice updates the line (revision, date told, deadline, waiting for an answer),
 * appends a `notice` history event and queues `delivery-date-revised` — all in `tx`, so the notice
 * exists exactly when the state that caused it does. The delivery's key holds the line id and the
 * revision: replaying the same change queues nothing new.
 * Lines registered with `notify: false` are the shop's to inform: no notice, no consent deadline.
 * @returns the notices decided (for summaries and tests).
 */
export async function applyDelayNotices(tx: Db, config: Cfg, outbox: BackorderOutbox, lines: Backorder[], today: string, now: Date): Promise<DelayNotice[]> {
  const rules = { policy: config.backorders.delayPolicy, etaChangeMinDays: config.restock.etaChangeMinDays, silenceConsentDays: config.backorders.silenceConsentDays };
  const due = lines.flatMap((line) => {
    if (!line.notify) return [];
    const d = decideDelayNotice(line, today, rules);
    return d.due ? [{ line, notice: d as DelayNotice }] : [];
  });
  if (due.length === 0) return [];
  const skus = [...new Set(due.map((d) => d.line.sku))];
  const names = new Map((await tx.select({ sku: products.sku, name: products.name }).from(products).where(inArray(products.sku, skus))).map((p) => [p.sku, p.name]));
  const updated: { line: Backorder; notice: DelayNotice }[] = [];
  for (const { line, notice } of due) {
    const [after] = await tx
      .update(backorders)
      .set({
        noticeRevision: notice.revision,
        noticedDate: notice.newDate,
        consentDeadline: notice.deadline,
        awaitingAnswer: notice.deadline !== null,
        customerAnswer: null,
        // A lapse (expected date passed) is announced once: remember which date lapsed.
        lateNoticeFor: line.expectedDate !== null && line.expectedDate < today ? line.expectedDate : line.lateNoticeFor,
        updatedAt: now,
      })
      .where(eq(backorders.id, line.id))
      .returning();
    updated.push({ line: after!, notice });
  }
  await tx.insert(backorderEvents).values(
    updated.map(({ line, notice }) => ({
      backorderId: line.id,
      type: 'notice',
      source: 'system',
      oldDate: notice.oldDate,
      newDate: notice.newDate,
      reason: line.expectedReason,
      notice: `delivery-date-revised:${notice.rule}`,
      at: now,
    })),
  );
  await outbox.notices(
    tx,
    updated.map(({ line, notice }) => {
      const vars = lineVariables(config, line, names.get(line.sku) ?? line.sku);
      return {
        kind: 'delivery-date-revised' as const,
        line,
        revision: notice.revision,
        variables: {
          ...vars,
          oldDate: notice.oldDate,
          newDate: notice.newDate ?? '',
          reason: line.expectedReason ?? '',
          deadline: notice.deadline ?? '',
          ruleSilence: notice.rule === 'first-silence',
          ruleConsent: notice.rule === 'first-consent' || notice.rule === 'renewed',
          ruleInform: notice.rule === 'inform',
          keepUrl: `${vars.orderUrl as string}?choice=wait`,
          cancelUrl: `${vars.orderUrl as string}?choice=cancel`,
        },
      };
    }),
  );
  return updated.map((u) => u.notice);
}
