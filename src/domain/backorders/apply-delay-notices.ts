import { eq, inArray } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import {
  backorderEvents,
  backorders,
  products,
  type Backorder,
  type NewBackorderEvent,
} from '../../db/schema/index.js';
import { decideDelayNotice, type DelayNotice } from './decide-delay-notice.js';
import { lineVariables, type BackorderOutbox } from './notices.js';
import { refundDueBy } from './refund-clock.js';

export type DelayConfig = Pick<Config, 'publicBaseUrl' | 'backorders' | 'restock'> & { appSecret: string };

export type DelayCtx = { tx: Db; config: DelayConfig; outbox: BackorderOutbox };

export type DelayInput = {
  /** Lines locked by the caller's transaction. */
  lines: Backorder[];
  now: Date;
  /** The lines were registered just now: the notice is their first email ("thanks for your order"). */
  atRegistration?: boolean;
};

export type DelayOutcome = {
  notices: (DelayNotice & { lineId: number })[];
  /** Lines that became cancel_due; `told` = a notice had asked for an answer ((c)(2)/(c)(3)), else (c)(5). */
  lapses: { lineId: number; lapsed: string; told: boolean }[];
};

/**
 * The I/O shell of `decideDelayNotice`, inside the caller's transaction: a due notice updates the line
 * (revision, date told, `shipBy`, deadline), appends a `notice` event and queues `delivery-date-revised`;
 * a lapse makes the line `cancel_due` with its refund due date, a `cancel_due` event and the
 * `backorder.cancel_due` order event, and — when no notice had asked for an answer — one
 * `delivery-date-revised` email (rule `lapsed`) saying the order will be cancelled and refunded unless
 * the customer chooses to keep waiting. Delivery keys hold the line id and the revision: a replay
 * queues nothing new. Lines registered with `notify: false` are the shop's to inform: nothing here.
 */
export async function applyDelayNotices(ctx: DelayCtx, input: DelayInput): Promise<DelayOutcome> {
  const { tx, config, outbox } = ctx;
  const { now } = input;
  const today = now.toISOString().slice(0, 10);
  const outcome: DelayOutcome = { notices: [], lapses: [] };
  const lines = input.lines.filter((l) => l.notify);
  if (lines.length === 0) return outcome;
  const skus = [...new Set(lines.map((l) => l.sku))];
  const known = await tx
    .select({ sku: products.sku, name: products.name, eta: products.eta })
    .from(products)
    .where(inArray(products.sku, skus));
  const product = new Map(known.map((p) => [p.sku, p]));
  const rules = {
    policy: config.backorders.delayPolicy,
    etaChangeMinDays: config.restock.etaChangeMinDays,
    silenceConsentDays: config.backorders.silenceConsentDays,
    noticeLeadDays: config.backorders.noticeLeadDays,
  };
  const events: NewBackorderEvent[] = [];
  for (const line of lines) {
    const d = decideDelayNotice(line, today, rules, { productEta: product.get(line.sku)?.eta ?? null });
    if (!d.due) continue;
    const name = product.get(line.sku)?.name ?? line.sku;
    if (d.kind === 'lapse') {
      const newDate = line.expectedDate !== null && line.expectedDate >= today ? line.expectedDate : null;
      const revision = line.noticeRevision + 1;
      const [after] = await tx
        .update(backorders)
        .set({
          status: 'cancel_due',
          awaitingAnswer: false,
          refundDueBy: refundDueBy(today, line, config.backorders.creditBillingCycleDays),
          ...(d.told ? {} : { noticeRevision: revision, noticedDate: newDate }),
          updatedAt: now,
        })
        .where(eq(backorders.id, line.id))
        .returning();
      const paragraph = d.told ? '435.2(c)(2)/(c)(3)' : '435.2(c)(5)';
      events.push({
        backorderId: line.id,
        type: 'cancel_due',
        source: 'system',
        oldStatus: 'open',
        newStatus: 'cancel_due',
        oldDate: d.lapsed,
        notice: paragraph,
        at: now,
      });
      await outbox.orderEvents(tx, [{ type: 'backorder.cancel_due', line: after!, at: now }]);
      if (!d.told) {
        const reason = newDate !== null || line.expectedDate === null ? line.expectedReason : null;
        await outbox.notices(tx, [
          noticeEmail(after!, name, {
            revision,
            oldDate: d.lapsed,
            newDate,
            deadline: null,
            reason,
            rule: 'lapsed',
            atRegistration: input.atRegistration === true,
          }),
        ]);
      }
      outcome.lapses.push({ lineId: line.id, lapsed: d.lapsed, told: d.told });
      continue;
    }
    const [after] = await tx
      .update(backorders)
      .set({
        noticeRevision: d.revision,
        noticedDate: d.newDate,
        shipBy: d.shipBy,
        consentDeadline: d.deadline,
        awaitingAnswer: d.deadline !== null,
        customerAnswer: null,
        updatedAt: now,
      })
      .where(eq(backorders.id, line.id))
      .returning();
    // The reason of the date told; a lapsed or merely missing date has no reason of its own: the template's default.
    const reason = d.newDate !== null || line.expectedDate === null ? line.expectedReason : null;
    events.push({
      backorderId: line.id,
      type: 'notice',
      source: 'system',
      oldDate: d.oldDate,
      newDate: d.newDate,
      reason,
      notice: `delivery-date-revised:${d.rule}`,
      at: now,
    });
    await outbox.notices(tx, [
      noticeEmail(after!, name, { ...d, reason, atRegistration: input.atRegistration === true }),
    ]);
    outcome.notices.push({ ...d, lineId: line.id });
  }
  if (events.length > 0) await tx.insert(backorderEvents).values(events);
  return outcome;
}

type EmailFacts = {
  revision: number;
  oldDate: string;
  newDate: string | null;
  deadline: string | null;
  reason: string | null;
  rule: DelayNotice['rule'] | 'lapsed';
  atRegistration: boolean;
};

/** The `delivery-date-revised` delivery: every variant offers the choice (keepUrl / cancelUrl, added by the sender). */
function noticeEmail(line: Backorder, productName: string, f: EmailFacts) {
  return {
    kind: 'delivery-date-revised' as const,
    line,
    revision: f.revision,
    variables: {
      ...lineVariables(line, productName),
      oldDate: f.oldDate,
      newDate: f.newDate ?? '',
      reason: f.reason ?? '',
      deadline: f.deadline ?? '',
      ruleSilence: f.rule === 'first-silence',
      ruleConsent: f.rule === 'first-consent' || f.rule === 'renewed',
      ruleInform: f.rule === 'inform',
      ruleLapsed: f.rule === 'lapsed',
      atRegistration: f.atRegistration,
    },
  };
}
