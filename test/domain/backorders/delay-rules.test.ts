import { describe, expect, it } from 'vitest';
import { allocateStock } from '../../../src/domain/backorders/allocate-stock.js';
import { decideDelayNotice, type DelayLine, type DelayRules } from '../../../src/domain/backorders/decide-delay-notice.js';

const rules: DelayRules = { policy: 'ftc', etaChangeMinDays: 1, silenceConsentDays: 30 };
const line = (over: Partial<DelayLine> = {}): DelayLine => ({
  status: 'open',
  promisedDate: '2026-03-10',
  expectedDate: '2026-03-10',
  noticeRevision: 0,
  noticedDate: null,
  consentDeadline: null,
  consentedIndefinite: false,
  ...over,
});
const today = '2026-03-01';

describe('decideDelayNotice (16 CFR 435.2)', () => {
  it('no notice while the expected date is on or before the promised date', () => {
    expect(decideDelayNotice(line(), today, rules)).toMatchObject({ due: false });
    expect(decideDelayNotice(line({ expectedDate: '2026-03-05' }), today, rules)).toMatchObject({ due: false });
  });

  it('first definite delay of 7 days: silence is consent, no deadline (b)(1)(ii)', () => {
    expect(decideDelayNotice(line({ expectedDate: '2026-03-17' }), today, rules)).toEqual({
      due: true, rule: 'first-silence', revision: 1, oldDate: '2026-03-10', newDate: '2026-03-17', deadline: null,
    });
  });

  it('first definite delay of exactly DELAY_SILENCE_CONSENT_DAYS is still silence-is-consent; one day more needs consent (b)(1)(iii)', () => {
    expect(decideDelayNotice(line({ expectedDate: '2026-04-09' }), today, rules)).toMatchObject({ rule: 'first-silence' });
    expect(decideDelayNotice(line({ expectedDate: '2026-04-10' }), today, rules)).toMatchObject({ rule: 'first-consent', deadline: '2026-04-09' });
  });

  it('first indefinite delay: consent required by promised + 30 days', () => {
    expect(decideDelayNotice(line({ expectedDate: null }), today, rules)).toEqual({
      due: true, rule: 'first-consent', revision: 1, oldDate: '2026-03-10', newDate: null, deadline: '2026-04-09',
    });
  });

  it('honours a configured silence window', () => {
    const strict = { ...rules, silenceConsentDays: 5 };
    expect(decideDelayNotice(line({ expectedDate: '2026-03-17' }), today, strict)).toMatchObject({ rule: 'first-consent', deadline: '2026-03-15' });
  });

  it('slips below ETA_CHANGE_MIN_DAYS are not announced', () => {
    const r = { ...rules, etaChangeMinDays: 3 };
    expect(decideDelayNotice(line({ expectedDate: '2026-03-12' }), today, r)).toMatchObject({ due: false });
    expect(decideDelayNotice(line({ expectedDate: '2026-03-13' }), today, r)).toMatchObject({ due: true, rule: 'first-silence' });
  });

  it('renewed delay: consent required, deadline = the previous notice revised date (b)(2)(ii), (c)(3)', () => {
    const after = line({ expectedDate: '2026-03-24', noticeRevision: 1, noticedDate: '2026-03-17' });
    expect(decideDelayNotice(after, today, rules)).toEqual({
      due: true, rule: 'renewed', revision: 2, oldDate: '2026-03-17', newDate: '2026-03-24', deadline: '2026-03-17',
    });
  });

  it('renewed notice is not due again for the same date (idempotent per revision)', () => {
    const sent = line({ expectedDate: '2026-03-24', noticeRevision: 2, noticedDate: '2026-03-24', consentDeadline: '2026-03-17' });
    expect(decideDelayNotice(sent, today, rules)).toMatchObject({ due: false });
  });

  it('renewed indefinite delay after a definite notice', () => {
    const after = line({ expectedDate: null, noticeRevision: 1, noticedDate: '2026-03-17' });
    expect(decideDelayNotice(after, today, rules)).toMatchObject({ rule: 'renewed', newDate: null, deadline: '2026-03-17' });
  });

  it('after an indefinite notice, nothing until the shop gives a date; then a renewed notice keeps the running deadline', () => {
    const told = line({ expectedDate: null, noticeRevision: 1, noticedDate: null, consentDeadline: '2026-04-09' });
    expect(decideDelayNotice(told, today, rules)).toMatchObject({ due: false });
    expect(decideDelayNotice({ ...told, expectedDate: '2026-04-20' }, today, rules)).toMatchObject({ rule: 'renewed', deadline: '2026-04-09', oldDate: '2026-03-10' });
  });

  it('a passed expected date counts as unknown (late line), once per lapse', () => {
    const late = line({ expectedDate: '2026-03-10' });
    expect(decideDelayNotice(late, '2026-03-11', rules)).toMatchObject({ due: true, rule: 'first-consent', newDate: null, deadline: '2026-04-09' });
    const afterLate = line({ expectedDate: '2026-03-10', noticeRevision: 1, noticedDate: null, consentDeadline: '2026-04-09' });
    expect(decideDelayNotice(afterLate, '2026-03-12', rules)).toMatchObject({ due: false });
    const renewedLapse = line({ expectedDate: '2026-03-17', noticeRevision: 1, noticedDate: '2026-03-17' });
    expect(decideDelayNotice(renewedLapse, '2026-03-18', rules)).toMatchObject({ rule: 'renewed', newDate: null, deadline: '2026-03-18' });
  });

  it('a deadline already in the past is moved to today', () => {
    expect(decideDelayNotice(line({ expectedDate: null, promisedDate: '2026-01-01' }), '2026-03-01', rules)).toMatchObject({ deadline: '2026-03-01' });
  });

  it('no renewed notice once the customer accepted an indefinite delay (b)(2) proviso', () => {
    expect(decideDelayNotice(line({ expectedDate: null, noticeRevision: 1, consentedIndefinite: true }), today, rules)).toMatchObject({ due: false });
  });

  it('only open lines get notices', () => {
    for (const status of ['allocated', 'fulfilled', 'cancelled', 'cancel_due'] as const) {
      expect(decideDelayNotice(line({ status, expectedDate: null }), today, rules)).toMatchObject({ due: false });
    }
  });

  it('notify-only informs with no deadline', () => {
    const r = { ...rules, policy: 'notify-only' as const };
    expect(decideDelayNotice(line({ expectedDate: null }), today, r)).toMatchObject({ rule: 'inform', deadline: null });
    expect(decideDelayNotice(line({ expectedDate: '2026-03-20', noticeRevision: 1, noticedDate: '2026-03-15' }), today, r)).toMatchObject({ rule: 'inform', revision: 2 });
  });
});

describe('allocateStock', () => {
  const at = (d: number) => new Date(Date.UTC(2026, 0, d));
  const lines = [
    { id: 3, quantity: 3, orderedAt: at(3) },
    { id: 1, quantity: 2, orderedAt: at(1) },
    { id: 2, quantity: 2, orderedAt: at(2) },
  ];
  it('5 units, lines 2, 2, 3 oldest first: first two allocated, one unit to the waitlist', () => {
    expect(allocateStock({ units: 5, lines, order: 'backorders-first', waitlistDemand: 10 })).toEqual({ allocate: [{ id: 1, quantity: 2 }, { id: 2, quantity: 2 }], toWaitlist: 1 });
  });
  it('whole lines only; a later smaller line may take what an older large one cannot use', () => {
    expect(allocateStock({ units: 3, lines: [{ id: 1, quantity: 5, orderedAt: at(1) }, { id: 2, quantity: 3, orderedAt: at(2) }], order: 'backorders-first', waitlistDemand: 0 })).toEqual({ allocate: [{ id: 2, quantity: 3 }], toWaitlist: 0 });
  });
  it('ties by order time go by id', () => {
    expect(allocateStock({ units: 1, lines: [{ id: 9, quantity: 1, orderedAt: at(1) }, { id: 4, quantity: 1, orderedAt: at(1) }], order: 'backorders-first', waitlistDemand: 0 }).allocate).toEqual([{ id: 4, quantity: 1 }]);
  });
  it('waitlist-first serves the waitlist demand first', () => {
    expect(allocateStock({ units: 5, lines, order: 'waitlist-first', waitlistDemand: 1 })).toEqual({ allocate: [{ id: 1, quantity: 2 }, { id: 2, quantity: 2 }], toWaitlist: 1 });
    expect(allocateStock({ units: 5, lines, order: 'waitlist-first', waitlistDemand: 4 })).toEqual({ allocate: [], toWaitlist: 5 });
  });
  it('no units or no lines', () => {
    expect(allocateStock({ units: 0, lines, order: 'backorders-first', waitlistDemand: 0 })).toEqual({ allocate: [], toWaitlist: 0 });
    expect(allocateStock({ units: 4, lines: [], order: 'backorders-first', waitlistDemand: 0 })).toEqual({ allocate: [], toWaitlist: 4 });
  });
});
