import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkTemplate, GMAIL_CLIP_BYTES, type CheckInput } from '../../../src/domain/templates/check-template.js';
import { checkPageCopy } from '../../../src/domain/templates/page-copy-checks.js';
import { isAppError } from '../../../src/errors.js';
import { createRenderer, type MjmlError } from '../../../src/mail/render.js';

const fixture = (name: string) => readFile(new URL(`../../fixtures/mjml/${name}`, import.meta.url), 'utf8');
const mjml = (body: string) =>
  `<mjml>\n<mj-body>\n<mj-section><mj-column>\n${body}\n</mj-column></mj-section>\n</mj-body>\n</mjml>`;
const UNSUBSCRIBE = 'https://shop.example/unsubscribe?token=example';
const vars = {
  productName: 'Trail Runner 2',
  name: 'Ada',
  productUrl: 'https://shop.example/p/1',
  unsubscribeUrl: UNSUBSCRIBE,
  locale: 'en',
};
const declared = new Set(['productName', 'name', 'unsubscribeUrl', 'locale', 'restockedAt', 'productUrl']);
const renderer = createRenderer();

/** The checks as the service runs them: MJML compiled by mjml, filled with sample data, then judged. */
async function check(source: string, input: Partial<CheckInput> = {}) {
  let html: string | undefined;
  let mjmlErrors: MjmlError[] = [];
  try {
    html = renderer.render(await renderer.compile({ subject: 'x', mjml: source }), vars).html;
  } catch (err) {
    // As evaluateTemplate: mjml's errors are details of a VALIDATION error; Handlebars throws plain Errors.
    if (!(err instanceof Error)) throw err;
    if (isAppError(err)) mjmlErrors = err.details as MjmlError[];
  }
  return checkTemplate({
    subject: '{{productName}} is back',
    mjml: source,
    declared,
    mjmlErrors,
    html,
    unsubscribeUrl: UNSUBSCRIBE,
    bulk: true,
    ...input,
  });
}
const codes = async (source: string, input: Partial<CheckInput> = {}) =>
  (await check(source, input)).map((c) => `${c.level}:${c.code}${c.line ? `@${c.line}` : ''}`);
const footer = '<mj-text><a href="{{unsubscribeUrl}}">Unsubscribe</a></mj-text>';

describe('checkTemplate (on the rendered email)', () => {
  it('a good template has no checks', async () => {
    expect(await codes(mjml(`<mj-text>Hi {{name}}</mj-text>${footer}`))).toEqual([]);
  });

  it('MJML errors keep their line numbers and block', async () => {
    expect(await codes(mjml(`<mj-colum>x</mj-colum>${footer}`))).toEqual(['error:MJML_ERROR@4']);
  });

  it('an undeclared variable is an error at its line; helpers, block params and this.x are not variables', async () => {
    const src = mjml(
      `<mj-text>{{#if name}}{{name}}{{/if}} {{formatDate restockedAt locale}}\n{{#each items}}{{this.title}} {{title}}{{/each}}\n{{couponCode}}</mj-text>${footer}`,
    );
    expect(await codes(src)).toEqual(['error:UNDECLARED_VARIABLE@5', 'error:UNDECLARED_VARIABLE@6']);
  });

  it('an undeclared variable in the subject has no line but names the field', async () => {
    const [c] = await check(mjml(footer), { subject: 'Hi {{firstName}}' });
    expect(c).toMatchObject({ code: 'UNDECLARED_VARIABLE', field: 'subject', level: 'error' });
    expect(c?.line).toBeUndefined();
  });

  it('an unknown helper and a Handlebars syntax error are errors', async () => {
    expect(await codes(mjml(`<mj-text>{{shout name}}</mj-text>${footer}`))).toEqual(['error:UNKNOWN_HELPER@4']);
    expect((await codes(mjml(`<mj-text>{{#if name}}</mj-text>${footer}`)))[0]).toMatch(/^error:HANDLEBARS_SYNTAX/);
  });

  it('bulk mail needs the unsubscribe link in what is sent: one inside a comment does not count', async () => {
    expect(await codes(mjml('<mj-text>Hi</mj-text>'))).toEqual(['error:UNSUBSCRIBE_LINK_MISSING']);
    expect(await codes(mjml('<mj-text>Hi</mj-text>'), { bulk: false })).toEqual([]);
    expect(
      await codes(mjml('<!-- <mj-text><a href="{{unsubscribeUrl}}">u</a></mj-text> -->\n<mj-text>Hi</mj-text>')),
    ).toEqual(['error:UNSUBSCRIBE_LINK_MISSING']);
    // …and a commented-out href="#" does not block either: the renderer drops comments.
    expect(await codes(mjml(`<!-- <mj-button href="#">old</mj-button> -->\n${footer}`))).toEqual([]);
  });

  it('alt="" is decorative; a missing alt warns (carousel images too); mj-attributes defaults are no images', async () => {
    const src = `<mjml>\n<mj-head><mj-attributes><mj-image padding="0" /></mj-attributes></mj-head>\n<mj-body><mj-section><mj-column>\n<mj-image src="https://x.example/a.png" />\n<mj-image src="https://x.example/b.png" alt="" />\n<mj-carousel><mj-carousel-image src="https://x.example/c.png" /></mj-carousel>\n${footer}\n</mj-column></mj-section></mj-body>\n</mjml>`;
    expect(await codes(src)).toEqual(['warning:IMAGE_ALT_MISSING@4', 'warning:IMAGE_ALT_MISSING@6']);
  });

  it('links must be absolute http(s) as sent; mailto: and tel: pass; each is named with its line', async () => {
    const src = mjml(
      [
        '<mj-button href="{{productUrl}}">Shop</mj-button>',
        '<mj-text><a href="https://shop.example/p">ok</a> <a href="mailto:help@shop.example">mail</a> <a href="tel:+4930123">call</a></mj-text>',
        '<mj-text><a href="javascript:alert(1)">x</a></mj-text>',
        '<mj-text><a href="/relative">r</a> <a href=\'#top\'>t</a></mj-text>',
        footer,
      ].join('\n'),
    );
    const checks = await check(src);
    expect(checks.map((c) => `${c.code}@${c.line}`)).toEqual(['LINK_NOT_HTTP@6', 'LINK_NOT_HTTP@7', 'LINK_NOT_HTTP@7']);
    expect(checks[0]?.message).toContain('"javascript:alert(1)"');
  });

  it('navbar links under base-url are absolute once rendered; base-url glued to an absolute link is malformed', async () => {
    const nav = (href: string) =>
      mjml(
        `<mj-navbar base-url="https://mjml.io"><mj-navbar-link href="${href}">Home</mj-navbar-link></mj-navbar>\n${footer}`,
      );
    expect(await codes(nav('/about'))).toEqual([]);
    const bad = await check(nav('https://mjml.io'));
    expect(bad.map((c) => `${c.code}@${c.line}`)).toEqual(['LINK_MALFORMED@4']);
    expect(bad[0]?.message).toContain('https://mjml.iohttps://mjml.io');
  });

  it('merge tags of other tools left in the output block, naming the tag and its line', async () => {
    const checks = await check(await fixture('other-tools.mjml'));
    expect(
      checks
        .filter((c) => c.code === 'FOREIGN_MERGE_TAG')
        .map((c) => `${c.level}:${c.line}:${c.message.split(' ')[0]}`),
    ).toEqual(['error:5:[[FirstName]]', 'error:6:*|FNAME|*', 'error:6:%%first_name%%', 'error:7:{firstname}']);
    expect(checks.find((c) => c.code === 'IMAGE_ALT_MISSING')?.line).toBe(8);
  });

  it('rendered HTML over 102 KB is a warning (Gmail clips it)', () => {
    const base = {
      subject: 's',
      mjml: mjml(footer),
      declared,
      mjmlErrors: [],
      unsubscribeUrl: UNSUBSCRIBE,
      bulk: false,
    };
    expect(checkTemplate({ ...base, html: 'x'.repeat(GMAIL_CLIP_BYTES) })).toEqual([]);
    expect(checkTemplate({ ...base, html: 'x'.repeat(GMAIL_CLIP_BYTES + 1) }).map((c) => c.code)).toEqual([
      'HTML_TOO_LARGE',
    ]);
  });

  it('a script tag and an empty subject are errors', async () => {
    expect(await codes(mjml(`<mj-raw><script>alert(1)</script></mj-raw>${footer}`), { subject: ' ' })).toEqual([
      'error:SUBJECT_EMPTY',
      'error:SCRIPT_TAG@4',
    ]);
  });

  it('errors come before warnings', async () => {
    const levels = (await check(mjml('<mj-image src="https://x.example/a.png" />'))).map((c) => c.level);
    expect(levels).toEqual(['error', 'warning']);
  });

  it('is linear: 160 KB of an unclosed tag is judged, not stuck on (the old regex was quadratic here)', async () => {
    const evil = mjml(`<mj-text>${'<mj-image alt'.repeat(12_000)}</mj-text>${footer}`);
    expect(evil.length).toBeGreaterThan(150_000);
    const checks = checkTemplate({
      subject: 's',
      mjml: evil,
      declared,
      mjmlErrors: [],
      html: '<p>x</p>',
      unsubscribeUrl: UNSUBSCRIBE,
      bulk: false,
    });
    expect(Array.isArray(checks)).toBe(true);
  });
});

describe('checkPageCopy', () => {
  const shipped = { 'signup.title': 'Notify me: {{product}}', 'signup.submit': 'Notify me' };
  it('accepts the shipped placeholders and flags new ones, unknown keys and empty texts', () => {
    const checks = checkPageCopy(
      { 'signup.title': 'Tell me about {{product}} {{price}}', 'signup.submit': ' ', 'signup.nope': 'x' },
      shipped,
    );
    expect(checks.map((c) => `${c.level}:${c.code}:${c.field}`)).toEqual([
      'error:UNDECLARED_VARIABLE:signup.title',
      'warning:MESSAGE_EMPTY:signup.submit',
      'warning:UNKNOWN_MESSAGE_KEY:signup.nope',
    ]);
    expect(checkPageCopy({ 'signup.title': 'Benachrichtigen: {{product}}' }, shipped)).toEqual([]);
  });
});
