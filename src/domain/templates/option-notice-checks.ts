import type { Check } from './check-template.js';

/**
 * Templates whose email offers the 16 CFR 435.2(b) option to the customer: the choice must survive any
 * edit in the console, so what the rule (and the FTC's business guide, "What a First Delay Option Notice
 * Must Say") requires is checked in the body before a version can be published.
 */
const OPTION_NOTICE_KEYS: ReadonlySet<string> = new Set(['delivery-date-revised']);

type Rule = { code: string; test: RegExp; message: string };

const RULES: Rule[] = [
  {
    code: 'OPTION_KEEP_LINK',
    test: /href\s*=\s*"\{\{\s*keepUrl\s*\}\}"/,
    message:
      'The email must keep the "keep my order" link (href="{{keepUrl}}"): the customer\'s way to consent to the delay.',
  },
  {
    code: 'OPTION_CANCEL_LINK',
    test: /href\s*=\s*"\{\{\s*cancelUrl\s*\}\}"/,
    message:
      'The email must keep the "cancel and refund" link (href="{{cancelUrl}}"): ' +
      'the option to cancel for a prompt refund.',
  },
  {
    code: 'OPTION_REVISED_DATE',
    test: /\{\{\s*(?:formatDate\s+)?newDate\b[^}]*\}\}/,
    message: 'The email must show the revised ship date ({{formatDate newDate locale}}).',
  },
  {
    code: 'OPTION_NO_DATE_STATEMENT',
    // The `{{else}}` of an `{{#if newDate}}` (no `{{/if}}` in between) followed by text, or an `{{#unless newDate}}`.
    test: new RegExp(
      String.raw`\{\{#if\s+newDate\s*\}\}(?:(?!\{\{\/if\}\})[\s\S])*?\{\{else\}\}\s*(?:<[^>]+>\s*)*[^\s<{]` +
        String.raw`|\{\{#unless\s+newDate\s*\}\}`,
    ),
    message:
      'The email must say when no new date can be given ' +
      '({{#if newDate}}…{{else}}we cannot give a new date yet{{/if}}).',
  },
  {
    code: 'OPTION_REASON',
    test: /\{\{\s*reason\s*\}\}/,
    message: 'The email must state the reason for the delay ({{reason}}, with a default for when the shop gave none).',
  },
  {
    code: 'OPTION_DEADLINE',
    test: /\{\{\s*(?:formatDate\s+)?deadline\b[^}]*\}\}/,
    message:
      'The email must state the consent deadline ({{formatDate deadline locale}}): ' +
      'the date the order is cancelled without an answer.',
  },
];

/**
 * Pure: the blocking checks of an option notice's MJML (only the body counts: a date in the preview
 * text is not "clear and conspicuous"). Other template keys get none.
 */
export function optionNoticeChecks(key: string, mjml: string): Check[] {
  if (!OPTION_NOTICE_KEYS.has(key)) return [];
  const start = mjml.search(/<mj-body\b/);
  const body = start < 0 ? mjml : mjml.slice(start);
  return RULES.filter((r) => !r.test.test(body)).map((r) => ({
    code: r.code,
    level: 'error' as const,
    message: r.message,
    field: 'mjml',
  }));
}
