import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import {
  decideDelayNotice,
  type DelayContext,
  type DelayLine,
  type DelayRules,
} from '../../../src/domain/backorders/decide-delay-notice.js';
import { addWorkingDays, refundDueBy } from '../../../src/domain/backorders/refund-clock.js';
import { optionNoticeChecks } from '../../../src/domain/templates/option-notice-checks.js';
import { TEXT } from './ftc-435-text.js';

// 16 CFR 435, the delay rule as pure cases. Each row cites its paragraph and quotes the text it rests on
// (see ftc-435-text.ts for where each quote was read). Today is 2026-03-01; the promise is 2026-03-20.
const rules: DelayRules = { policy: 'ftc', etaChangeMinDays: 1, silenceConsentDays: 30, noticeLeadDays: 3 };
const noEta: DelayContext = { productEta: null };
const line = (over: Partial<DelayLine> = {}): DelayLine => ({
  status: 'open',
  promisedDate: '2026-03-20',
  shipBy: '2026-03-20',
  expectedDate: '2026-03-20',
  noticeRevision: 0,
  noticedDate: null,
  consentDeadline: null,
  awaitingAnswer: false,
  consentedIndefinite: false,
  ...over,
});

type Case = {
  paragraph: string;
  quote: string;
  name: string;
  line: Partial<DelayLine>;
  today?: string;
  rules?: Partial<DelayRules>;
  ctx?: DelayContext;
  expect: Record<string, unknown>;
};

const cases: Case[] = [
  {
    paragraph: '435.2(a)(1)',
    quote: TEXT.thirtyDay,
    name: 'expected date on the promise: nothing is due',
    line: {},
    expect: { due: false },
  },
  {
    paragraph: '435.2(b)(1)',
    quote: TEXT.timing,
    name: 'an ETA past the promise: the option is offered at once, weeks before the date',
    line: { expectedDate: '2026-03-27' },
    expect: { due: true, kind: 'notice', rule: 'first-silence', newDate: '2026-03-27', oldDate: '2026-03-20' },
  },
  {
    paragraph: '435.2(b)(1)(ii)',
    quote: TEXT.silence,
    name: 'first definite delay of 30 days: silence consents, ship-by moves to the revised date',
    line: { expectedDate: '2026-04-19' },
    expect: { rule: 'first-silence', deadline: null, shipBy: '2026-04-19' },
  },
  {
    paragraph: '435.2(b)(1)(iii)',
    quote: TEXT.longDelay,
    name: 'first definite delay of 31 days: express consent by promise + 30',
    line: { expectedDate: '2026-04-20' },
    expect: { rule: 'first-consent', deadline: '2026-04-19', shipBy: '2026-04-19', newDate: '2026-04-20' },
  },
  {
    paragraph: '435.2(b)(1)(iii)',
    quote: TEXT.firstNotice,
    name: 'first notice without a date: express consent by promise + 30',
    line: { expectedDate: null },
    expect: { rule: 'first-consent', newDate: null, deadline: '2026-04-19' },
  },
  {
    paragraph: '435.2(b)(1)',
    quote: TEXT.timing,
    name: 'ETA_CHANGE_MIN_DAYS never suppresses the first notice of a line that will miss its promise',
    line: { expectedDate: '2026-03-21' },
    rules: { etaChangeMinDays: 7 },
    expect: { due: true, rule: 'first-silence', newDate: '2026-03-21' },
  },
  {
    paragraph: '435.2(b)(1)',
    quote: TEXT.timing,
    name: 'no ETA and the promise 3 days away: the option without a date, before the date',
    line: {},
    today: '2026-03-17',
    expect: { rule: 'first-consent', newDate: null, deadline: '2026-04-19' },
  },
  {
    paragraph: '435.2(b)(1)',
    quote: TEXT.timing,
    name: 'no ETA but the promise 4 days away: not yet',
    line: {},
    today: '2026-03-16',
    expect: { due: false },
  },
  {
    paragraph: '435.2(b)(1)',
    quote: TEXT.timing,
    name: 'the promise near but a current product ETA backs it: nothing',
    line: {},
    today: '2026-03-17',
    ctx: { productEta: '2026-03-19' },
    expect: { due: false },
  },
  {
    paragraph: '435.2(c)(5)',
    quote: TEXT.cancelLate,
    name: 'the promise passed with no option offered: cancel_due, never a late first notice',
    line: { expectedDate: null },
    today: '2026-03-21',
    expect: { kind: 'lapse', lapsed: '2026-03-20', told: false },
  },
  {
    paragraph: '435.2(c)(2)',
    quote: TEXT.longDelay,
    name: 'no answer to a first-consent notice by promise + 30: cancel_due',
    line: { shipBy: '2026-04-19', consentDeadline: '2026-04-19', awaitingAnswer: true, noticeRevision: 1 },
    today: '2026-04-20',
    expect: { kind: 'lapse', lapsed: '2026-04-19', told: true },
  },
  {
    paragraph: '435.2(b)(2)',
    quote: TEXT.renewed,
    name: 'renewal after a 10-day slip accepted by silence: deadline = the consented date, not promise + 30',
    line: { shipBy: '2026-03-30', noticeRevision: 1, noticedDate: '2026-03-30', expectedDate: '2026-04-15' },
    expect: {
      rule: 'renewed',
      deadline: '2026-03-30',
      shipBy: '2026-03-30',
      oldDate: '2026-03-30',
      newDate: '2026-04-15',
    },
  },
  {
    paragraph: '435.2(b)(2)',
    quote: TEXT.renewedDeadline,
    name: 'a further renewal while the answer is awaited keeps the deadline',
    line: {
      shipBy: '2026-03-30',
      consentDeadline: '2026-03-30',
      awaitingAnswer: true,
      noticeRevision: 2,
      noticedDate: '2026-04-15',
      expectedDate: '2026-05-01',
    },
    expect: { rule: 'renewed', revision: 3, deadline: '2026-03-30', shipBy: '2026-03-30' },
  },
  {
    paragraph: '435.2(b)(2)',
    quote: TEXT.renewedSilence,
    name: 'renewal after an express "wait" for a definite date: deadline = that date',
    line: { shipBy: '2026-05-01', noticeRevision: 1, noticedDate: '2026-05-01', expectedDate: '2026-05-20' },
    expect: { rule: 'renewed', deadline: '2026-05-01' },
  },
  {
    paragraph: '435.2(b)(2)',
    quote: TEXT.renewed,
    name: 'a slip found after the consented date lapsed: cancel_due, not a notice with today as its deadline',
    line: { shipBy: '2026-03-30', noticeRevision: 1, noticedDate: '2026-03-30', expectedDate: '2026-04-15' },
    today: '2026-03-31',
    expect: { kind: 'lapse', lapsed: '2026-03-30', told: false },
  },
  {
    paragraph: '435.2(b)(2), guide',
    quote: TEXT.indefinite,
    name: 'after an express "wait" without a date no additional notice is due',
    line: { shipBy: null, consentedIndefinite: true, noticeRevision: 1, expectedDate: null },
    today: '2026-06-01',
    expect: { due: false },
  },
  {
    paragraph: '435.2(b)(2)',
    quote: TEXT.renewedSilence,
    name: 'a tiny move while an answer is awaited is not repeated (ETA_CHANGE_MIN_DAYS)',
    line: {
      shipBy: '2026-04-19',
      consentDeadline: '2026-04-19',
      awaitingAnswer: true,
      noticeRevision: 1,
      noticedDate: '2026-04-25',
      expectedDate: '2026-04-27',
    },
    rules: { etaChangeMinDays: 3 },
    expect: { due: false },
  },
  {
    paragraph: '435.1',
    quote: TEXT.shipment,
    name: 'allocated is not shipped, but it is not waiting either: no notice',
    line: { status: 'allocated', expectedDate: null },
    expect: { due: false },
  },
];

describe('16 CFR 435.2 — decideDelayNotice, case by paragraph', () => {
  it.each(cases)('$paragraph: $name', (c) => {
    expect(c.quote.length).toBeGreaterThan(20);
    const r = decideDelayNotice(line(c.line), c.today ?? '2026-03-01', { ...rules, ...c.rules }, c.ctx ?? noEta);
    expect(r).toMatchObject(c.expect);
  });

  it('DELAY_POLICY=notify-only informs without deadlines and never lapses a line', () => {
    const inform = { ...rules, policy: 'notify-only' as const };
    expect(decideDelayNotice(line({ expectedDate: null }), '2026-03-01', inform, noEta)).toMatchObject({
      rule: 'inform',
      deadline: null,
    });
    expect(decideDelayNotice(line({ expectedDate: '2026-03-10' }), '2026-03-25', inform, noEta)).toMatchObject({
      kind: 'notice',
      rule: 'inform',
    });
  });
});

describe('435.2(a)(1) and (b)(1)(ii): settings that cannot break the rule', () => {
  const env = (over: Record<string, string>) => ({ NODE_ENV: 'test', ...over });
  it.each([
    ['DEFAULT_SHIP_DAYS', '31', TEXT.thirtyDay],
    ['DELAY_SILENCE_CONSENT_DAYS', '45', TEXT.silence],
  ])('%s=%s stops the start-up under DELAY_POLICY=ftc, naming the setting', (name, value, quote) => {
    expect(quote).toContain('30');
    let error: unknown;
    try {
      loadConfig(env({ [name]: value }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(
      (error as ConfigError).problems.some((p) => p.startsWith(`${name}: ${value} is more than the 30 days`)),
    ).toBe(true);
  });
  it('the same values are allowed under notify-only; 30 is allowed under ftc', () => {
    expect(loadConfig(env({ DELAY_POLICY: 'notify-only', DEFAULT_SHIP_DAYS: '45' })).backorders.defaultShipDays).toBe(
      45,
    );
    expect(
      loadConfig(env({ DEFAULT_SHIP_DAYS: '30', DELAY_SILENCE_CONSENT_DAYS: '30' })).backorders.silenceConsentDays,
    ).toBe(30);
  });
});

describe('435.1 "prompt refund": the refund clock', () => {
  it(`seven working days, skipping weekends ("${TEXT.refund}")`, () => {
    expect(addWorkingDays('2026-03-06', 7)).toBe('2026-03-17'); // a Friday → the Tuesday after next
    expect(refundDueBy('2026-03-06', { creditApplied: false }, 30)).toBe('2026-03-17');
  });
  it('one billing cycle when the buyer applied to the seller for credit', () => {
    expect(refundDueBy('2026-03-06', { creditApplied: true }, 30)).toBe('2026-04-05');
  });
});

describe('435.2(b)(1): the choice cannot be edited away (publish checks of the option notice)', () => {
  it('the shipped templates pass; removing each required element is an error naming it', async () => {
    for (const file of ['delivery-date-revised.mjml', 'delivery-date-revised.de.mjml']) {
      const mjml = await readFile(new URL(`../../../templates/${file}`, import.meta.url), 'utf8');
      expect(optionNoticeChecks('delivery-date-revised', mjml)).toEqual([]);
      const without = (re: RegExp) =>
        optionNoticeChecks('delivery-date-revised', mjml.replace(re, '')).map((c) => [c.code, c.level]);
      expect(without(/<mj-button href="\{\{cancelUrl\}\}"[^>]*>[^<]*<\/mj-button>/)).toEqual([
        ['OPTION_CANCEL_LINK', 'error'],
      ]);
      expect(without(/<mj-button href="\{\{keepUrl\}\}"[^>]*>[^<]*<\/mj-button>/)).toEqual([
        ['OPTION_KEEP_LINK', 'error'],
      ]);
      expect(without(/\{\{#if reason\}\}\{\{reason\}\}/)).toContainEqual(['OPTION_REASON', 'error']);
      expect(without(/\{\{formatDate deadline locale\}\}/g)).toEqual([['OPTION_DEADLINE', 'error']]);
      // The body's no-date statement gone (the preview text keeps one: it does not count).
      const body = mjml.indexOf('<mj-body');
      const cut =
        mjml.slice(0, body) +
        mjml
          .slice(body)
          .replace(/\{\{else\}\}<strong>[^<]*<\/strong>\{\{\/if\}\}/, '{{/if}}')
          .replace(/<mj-raw>\{\{#unless newDate\}\}<\/mj-raw>[\s\S]*?<mj-raw>\{\{\/unless\}\}<\/mj-raw>/, '');
      expect(optionNoticeChecks('delivery-date-revised', cut).map((c) => c.code)).toEqual(['OPTION_NO_DATE_STATEMENT']);
    }
    expect(optionNoticeChecks('back-in-stock', '<mjml><mj-body></mj-body></mjml>')).toEqual([]);
  });
});
