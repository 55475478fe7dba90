import { describe, expect, it } from 'vitest';
import { checkTemplate, GMAIL_CLIP_BYTES, type CheckInput } from '../../../src/domain/templates/check-template.js';
import { checkPageCopy } from '../../../src/domain/templates/page-copy-checks.js';

const mjml = (body: string) => `<mjml>\n<mj-body>\n<mj-section><mj-column>\n${body}\n</mj-column></mj-section>\n</mj-body>\n</mjml>`;
const base: CheckInput = {
  subject: '{{productName}} is back',
  mjml: mjml('<mj-text>Hi {{name}} <a href="{{unsubscribeUrl}}">Unsubscribe</a></mj-text>'),
  declared: new Set(['productName', 'name', 'unsubscribeUrl', 'locale', 'restockedAt']),
  mjmlErrors: [],
  html: '<html></html>',
  bulk: true,
};
const codes = (input: Partial<CheckInput>) => checkTemplate({ ...base, ...input }).map((c) => `${c.level}:${c.code}${c.line ? `@${c.line}` : ''}`);

describe('checkTemplate', () => {
  it('a good template has no checks', () => {
    expect(codes({})).toEqual([]);
  });

  it('MJML errors keep their line numbers and block', () => {
    expect(codes({ mjmlErrors: [{ line: 7, message: 'mj-colum is not a known tag', tagName: 'mj-colum' }] })).toEqual(['error:MJML_ERROR@7']);
  });

  it('an undeclared variable is an error at its line; helpers, block params and this.x are not variables', () => {
    const src = mjml('<mj-text>{{#if name}}{{name}}{{/if}} {{formatDate restockedAt locale}}\n{{#each items}}{{this.title}} {{title}}{{/each}}\n{{couponCode}}</mj-text><mj-text><a href="{{unsubscribeUrl}}">u</a></mj-text>');
    expect(codes({ mjml: src })).toEqual(['error:UNDECLARED_VARIABLE@5', 'error:UNDECLARED_VARIABLE@6']);
    // `items` (line 5) and `couponCode` (line 6) are undeclared; `title` inside #each is the item's.
  });

  it('an undeclared variable in the subject has no line but names the field', () => {
    const [c] = checkTemplate({ ...base, subject: 'Hi {{firstName}}' });
    expect(c).toMatchObject({ code: 'UNDECLARED_VARIABLE', field: 'subject', level: 'error' });
    expect(c?.line).toBeUndefined();
  });

  it('an unknown helper and a Handlebars syntax error are errors', () => {
    expect(codes({ mjml: mjml('<mj-text>{{shout name}} <a href="{{unsubscribeUrl}}">u</a></mj-text>') })).toEqual(['error:UNKNOWN_HELPER@4']);
    expect(codes({ mjml: mjml('<mj-text>{{#if name}} <a href="{{unsubscribeUrl}}">u</a></mj-text>') })[0]).toMatch(/^error:HANDLEBARS_SYNTAX/);
  });

  it('bulk mail without the unsubscribe link is an error; transactional mail may omit it', () => {
    const src = mjml('<mj-text>Hi</mj-text>');
    expect(codes({ mjml: src })).toEqual(['error:UNSUBSCRIBE_LINK_MISSING']);
    expect(codes({ mjml: src, bulk: false })).toEqual([]);
  });

  it('images without alt are warnings at their line', () => {
    const src = mjml('<mj-image src="https://x.example/a.png" />\n<mj-image src="https://x.example/b.png" alt="B" />\n<mj-raw><img src="https://x.example/c.png" alt=""></mj-raw>\n<mj-text><a href="{{unsubscribeUrl}}">u</a></mj-text>');
    expect(codes({ mjml: src })).toEqual(['warning:IMAGE_ALT_MISSING@4', 'warning:IMAGE_ALT_MISSING@6']);
  });

  it('links must be absolute http(s); placeholders, mailto: and tel: pass', () => {
    const src = mjml(
      [
        '<mj-button href="{{productUrl}}">Shop</mj-button>',
        '<mj-text><a href="https://shop.example/p">ok</a> <a href="mailto:help@shop.example">mail</a> <a href="tel:+4930123">call</a></mj-text>',
        '<mj-text><a href="javascript:alert(1)">x</a></mj-text>',
        '<mj-text><a href="/relative">r</a> <a href=\'#top\'>t</a></mj-text>',
        '<mj-text><a href="{{unsubscribeUrl}}">u</a></mj-text>',
      ].join('\n'),
    );
    expect(codes({ mjml: src, declared: new Set([...base.declared, 'productUrl']) })).toEqual(['error:LINK_NOT_HTTP@6', 'error:LINK_NOT_HTTP@7', 'error:LINK_NOT_HTTP@7']);
  });

  it('rendered HTML over 102 KB is a warning (Gmail clips it)', () => {
    expect(codes({ html: 'x'.repeat(GMAIL_CLIP_BYTES) })).toEqual([]);
    expect(codes({ html: 'x'.repeat(GMAIL_CLIP_BYTES + 1) })).toEqual(['warning:HTML_TOO_LARGE']);
  });

  it('a script tag and an empty subject are errors', () => {
    expect(codes({ subject: ' ', mjml: mjml('<mj-raw><script>alert(1)</script></mj-raw><mj-text><a href="{{unsubscribeUrl}}">u</a></mj-text>') })).toEqual([
      'error:SUBJECT_EMPTY',
      'error:SCRIPT_TAG@4',
    ]);
  });

  it('errors come before warnings', () => {
    const levels = checkTemplate({ ...base, mjml: mjml('<mj-image src="https://x.example/a.png" />'), html: 'x'.repeat(GMAIL_CLIP_BYTES + 1) }).map((c) => c.level);
    expect(levels).toEqual(['error', 'warning', 'warning']);
  });
});

describe('checkPageCopy', () => {
  const shipped = { 'signup.title': 'Notify me: {{product}}', 'signup.submit': 'Notify me' };
  it('accepts the shipped placeholders and flags new ones, unknown keys and empty texts', () => {
    const checks = checkPageCopy({ 'signup.title': 'Tell me about {{product}} {{price}}', 'signup.submit': ' ', 'signup.nope': 'x' }, shipped);
    expect(checks.map((c) => `${c.level}:${c.code}:${c.field}`)).toEqual([
      'error:UNDECLARED_VARIABLE:signup.title',
      'warning:MESSAGE_EMPTY:signup.submit',
      'warning:UNKNOWN_MESSAGE_KEY:signup.nope',
    ]);
    expect(checkPageCopy({ 'signup.title': 'Benachrichtigen: {{product}}' }, shipped)).toEqual([]);
  });
});
