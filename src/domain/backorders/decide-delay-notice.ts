import { addDays, daysBetween } from './backorder-input.js';

/** What the rule needs to know about one order line (all dates `YYYY-MM-DD`). */
export type DelayLine = {
  status: 'open' | 'allocated' | 'fulfilled' | 'cancelled' | 'cancel_due';
  /** The applicable time of 16 CFR 435.2(a)(1): the date stated, else order date + 30 (50 with credit). */
  promisedDate: string;
  /** The date the line may ship by without asking again (null on old rows = the promised date). */
  shipBy: string | null;
  /** The shop's current expected ship date; null = the shop cannot give one. */
  expectedDate: string | null;
  /** Delay option notices already sent. */
  noticeRevision: number;
  /** The revised date the last notice gave; null when it gave none (or none was sent). */
  noticedDate: string | null;
  /** The consent deadline of the notice awaiting an answer (also stands in for `shipBy` on old rows). */
  consentDeadline: string | null;
  /** A notice asked for express consent that has not come yet. */
  awaitingAnswer: boolean;
  /** The customer expressly agreed to wait without a date. */
  consentedIndefinite: boolean;
};

export type DelayRules = {
  policy: 'ftc' | 'notify-only';
  /** ETA_CHANGE_MIN_DAYS: only smooths moves of a date already past `shipBy`; never the notice the law requires. */
  etaChangeMinDays: number;
  /** DELAY_SILENCE_CONSENT_DAYS (≤ 30): a first definite delay up to this long counts silence as consent. */
  silenceConsentDays: number;
  /** DELAY_NOTICE_LEAD_DAYS: with no date backing the promise, the option is offered this many days before it. */
  noticeLeadDays: number;
};

/** What else the rule knows today: whether a current date backs the line's `shipBy`. */
export type DelayContext = {
  /** The product's ETA (null = none). An ETA between today and `shipBy` backs the promise. */
  productEta: string | null;
};

/** The consent deadline of (b)(1)(iii)(A): "within thirty (30) days of the applicable time". */
const FIRST_CONSENT_WINDOW_DAYS = 30;

type DelayRule = 'first-silence' | 'first-consent' | 'renewed' | 'inform';

export type DelayNotice = {
  rule: DelayRule;
  /** The notice's number on this line (1 = first): with the line id, the idempotency key. */
  revision: number;
  /** The date the customer held until now. */
  oldDate: string;
  /** The revised date; null = "we cannot give a date yet" (the reason must then be stated). */
  newDate: string | null;
  /** Unless the customer says "wait" by this date (inclusive), the line becomes cancel_due; null = none. */
  deadline: string | null;
  /** The line's `shipBy` after the notice. */
  shipBy: string;
};

export type DelayDecision =
  | { due: false; why: string }
  | ({ due: true; kind: 'notice' } & DelayNotice)
  /** `shipBy` passed unshipped: cancel_due. `told` = a notice awaited an answer ((c)(2)/(c)(3)), else (c)(5). */
  | { due: true; kind: 'lapse'; lapsed: string; told: boolean };

/**
 * Pure: decides what an open order line needs today under 16 CFR 435.2. Contract:
 *
 * - `shipBy` is the one date that matters: the applicable time (a)(1), then what the customer consented
 *   to. It moves only with consent: a first notice's revised date ≤ DELAY_SILENCE_CONSENT_DAYS after the
 *   promise (silence consents, (b)(1)(ii)); a "wait" answer (the page sets it); while an answer is
 *   awaited it is the consent deadline, which a renewed notice never moves.
 * - A notice is due as soon as the line will miss `shipBy`: the expected date is later, or unknown
 *   (a lapsed expected date counts as unknown), or `shipBy` is within `noticeLeadDays` and nothing backs
 *   it (no current product ETA, no date from the shop other than the promise) — and in no event later
 *   than `shipBy` itself (b)(1): on `shipBy + 1` the line is a `lapse` (cancel_due), never a notice.
 * - First notice: definite and ≤ silenceConsentDays → `first-silence`, shipBy = the revised date, no
 *   deadline. Longer or no date → `first-consent`, deadline = shipBy = promise + 30 (b)(1)(iii).
 * - Later notice → `renewed`: express consent only, deadline = the current `shipBy` (b)(2); further
 *   renewals keep it. While an answer is awaited, a new date is told only when it moved by at least
 *   ETA_CHANGE_MIN_DAYS (or between a date and none).
 * - After an express agreement to an indefinite delay nothing more is due: the FTC's business guide,
 *   "What Later Notices Must Say": "no additional delay notices are required".
 * - `notify-only`: the same notices as `inform`, no deadlines and no lapses.
 * Only `open` lines; an earlier expected date is good news, not a delay.
 */
export function decideDelayNotice(line: DelayLine, today: string, rules: DelayRules, ctx: DelayContext): DelayDecision {
  if (line.status !== 'open') return { due: false, why: `line is ${line.status}` };
  if (line.consentedIndefinite)
    return { due: false, why: 'customer agreed to an indefinite delay: no additional notices' };
  // Rows from before `ship_by` existed: the deadline awaited, else the date consented by silence, else the promise.
  const shipBy = line.shipBy ?? line.consentDeadline ?? line.noticedDate ?? line.promisedDate;
  const ftc = rules.policy === 'ftc';
  if (ftc && shipBy < today) return { due: true, kind: 'lapse', lapsed: shipBy, told: line.awaitingAnswer };
  const first = line.noticeRevision === 0;
  const expected = line.expectedDate !== null && line.expectedDate >= today ? line.expectedDate : null;
  const held = first ? line.promisedDate : line.noticedDate;

  let newDate: string | null;
  if (expected !== null && expected > shipBy) newDate = expected;
  else if (line.expectedDate === null) newDate = null;
  else if (daysBetween(shipBy, today) <= rules.noticeLeadDays && !backed(line, expected, shipBy, today, ctx))
    newDate = null;
  else return { due: false, why: 'the expected date keeps the date the customer holds' };

  if (!first && (line.awaitingAnswer || !ftc)) {
    // The customer already has an open question (or, notify-only, was told): repeat only real news.
    if (newDate === null && held === null)
      return { due: false, why: 'the customer was already told no date can be given' };
    if (
      newDate !== null &&
      held !== null &&
      Math.abs(daysBetween(newDate, held)) < Math.max(1, rules.etaChangeMinDays)
    ) {
      return { due: false, why: 'the date moved less than ETA_CHANGE_MIN_DAYS since the last notice' };
    }
  }
  const base = { kind: 'notice' as const, revision: line.noticeRevision + 1, oldDate: held ?? shipBy, newDate };
  if (!ftc) return { due: true, ...base, rule: 'inform', deadline: null, shipBy: newDate ?? shipBy };
  if (first) {
    if (newDate !== null && daysBetween(newDate, line.promisedDate) <= rules.silenceConsentDays) {
      return { due: true, ...base, rule: 'first-silence', deadline: null, shipBy: newDate };
    }
    const deadline = addDays(line.promisedDate, FIRST_CONSENT_WINDOW_DAYS);
    return { due: true, ...base, rule: 'first-consent', deadline, shipBy: deadline };
  }
  return { due: true, ...base, rule: 'renewed', deadline: shipBy, shipBy };
}

/** A current date from the shop or the product's ETA, not later than `shipBy`, backs the promise. */
function backed(line: DelayLine, expected: string | null, shipBy: string, today: string, ctx: DelayContext): boolean {
  if (ctx.productEta !== null && ctx.productEta >= today && ctx.productEta <= shipBy) return true;
  // A lapsed expected date backs nothing; the one a line starts with is the promise itself, not news.
  if (expected === null) return false;
  return expected !== line.promisedDate || line.noticeRevision > 0;
}
