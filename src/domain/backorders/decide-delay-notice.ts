import { addDays, daysBetween } from './backorder-input.js';

/** What the rule needs to know about one order line (all dates `YYYY-MM-DD`). */
export type DelayLine = {
  status: 'open' | 'allocated' | 'fulfilled' | 'cancelled' | 'cancel_due';
  /** The ship date first promised: the "applicable time" of 16 CFR 435.2(a)(1). */
  promisedDate: string;
  /** The current expected ship date; null = the shop cannot give one. */
  expectedDate: string | null;
  /** Delay option notices already sent. */
  noticeRevision: number;
  /** The revised date the last notice gave; null when it gave none (or none was sent). */
  noticedDate: string | null;
  /** The last notice's consent deadline, if any. */
  consentDeadline: string | null;
  /** The customer expressly agreed to wait without a date. */
  consentedIndefinite: boolean;
};

export type DelayRules = {
  policy: 'ftc' | 'notify-only';
  /** ETA_CHANGE_MIN_DAYS: a smaller slip past the date the customer holds is not announced. */
  etaChangeMinDays: number;
  /** DELAY_SILENCE_CONSENT_DAYS: the "thirty (30) days" of 435.2(b)(1)(ii)/(iii). */
  silenceConsentDays: number;
};

type DelayRule = 'first-silence' | 'first-consent' | 'renewed' | 'inform';

export type DelayNotice = {
  rule: DelayRule;
  /** The notice's number on this line (1 = first): with the line id, the idempotency key. */
  revision: number;
  /** The date the customer held until now. */
  oldDate: string;
  /** The revised date; null = "we cannot give a date yet" (the reason must then be stated). */
  newDate: string | null;
  /** Unless the customer says "wait" by this date (inclusive), the line becomes cancel_due; null = silence is consent / inform only. */
  deadline: string | null;
};

export type DelayDecision = { due: false; why: string } | ({ due: true } & DelayNotice);

/**
 * Pure: decides whether an order line needs a delay option notice today, which consent rule it
 * falls under, and the deadline. Implements 16 CFR 435.2 (Mail, Internet, or Telephone Order
 * Merchandise Rule), as read from the rule's text and the FTC's business guide to it:
 *
 * - Which date the customer holds: the last notice's revised date, else the promised date. A slip of
 *   that date by ≥ max(1, etaChangeMinDays) days, or an unknown date, is a delay. A date that has
 *   already passed (expected < today) counts as unknown — the late-lines job relies on this: a lapse
 *   yields one "we cannot give a date" notice, after which the line holds no date and nothing more
 *   is due until the shop gives one (once per lapse, by construction).
 * - First notice (no notice sent yet), 435.2(b)(1): offer the option to wait or cancel for a prompt
 *   refund (b)(1) with a definite revised date or, lacking one, the statement that none can be given
 *   (b)(1)(i) and the reason (a)(3).
 *   · definite and ≤ silenceConsentDays past the promised date → `first-silence`: silence is consent
 *     to a delay up to that date, 435.2(b)(1)(ii); no deadline.
 *   · definite and longer, or indefinite → `first-consent`: unless the customer consents, the order
 *     is cancelled when silenceConsentDays past the promised date have gone by unshipped,
 *     435.2(b)(1)(iii) and (c)(2); deadline = promised date + silenceConsentDays.
 * - Later notice → `renewed`, 435.2(b)(2): silence is never consent; unless the customer agrees, the
 *   order is cancelled when the previous notice's definite revised date passes, 435.2(b)(2)(ii) and
 *   (c)(3); deadline = that date (when the previous notice gave none: the deadline already running).
 * - No renewed notice after the customer expressly accepted an indefinite delay: the proviso of
 *   435.2(b)(2); they may still cancel at any time before shipment (b)(1)(iii).
 * - Deadlines are never earlier than today: a notice that arrives late still gives the customer the
 *   day to answer (the shop, not this service, decides to refund; see `cancel_due`).
 * - `notify-only` policy: the same notices are due, as `inform`, with no deadline.
 * Only `open` lines get notices; an earlier expected date is good news, not a delay.
 */
export function decideDelayNotice(line: DelayLine, today: string, rules: DelayRules): DelayDecision {
  if (line.status !== 'open') return { due: false, why: `line is ${line.status}` };
  if (line.consentedIndefinite) return { due: false, why: 'customer accepted an indefinite delay (435.2(b)(2) proviso)' };
  const first = line.noticeRevision === 0;
  const held = first ? line.promisedDate : line.noticedDate;
  const expected = line.expectedDate !== null && line.expectedDate >= today ? line.expectedDate : null;

  if (expected === null) {
    if (held === null) return { due: false, why: 'the customer was already told no date can be given' };
  } else if (held !== null) {
    const slip = daysBetween(expected, held);
    if (slip <= 0) return { due: false, why: 'not later than the date the customer holds' };
    if (slip < Math.max(1, rules.etaChangeMinDays)) return { due: false, why: `slip of ${slip} day(s) is below ETA_CHANGE_MIN_DAYS` };
  }

  const base = { revision: line.noticeRevision + 1, oldDate: held ?? line.promisedDate, newDate: expected };
  const notLaterThanToday = (d: string) => (d < today ? today : d);
  if (rules.policy === 'notify-only') return { due: true, rule: 'inform', ...base, deadline: null };
  if (first) {
    if (expected !== null && daysBetween(expected, line.promisedDate) <= rules.silenceConsentDays) {
      return { due: true, rule: 'first-silence', ...base, deadline: null };
    }
    return { due: true, rule: 'first-consent', ...base, deadline: notLaterThanToday(addDays(line.promisedDate, rules.silenceConsentDays)) };
  }
  const deadline = line.noticedDate ?? line.consentDeadline ?? addDays(line.promisedDate, rules.silenceConsentDays);
  return { due: true, rule: 'renewed', ...base, deadline: notLaterThanToday(deadline) };
}
