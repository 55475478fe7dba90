import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeQp } from '../../src/mail/quoted-printable.js';
import { slotValue, templateSpliceable } from '../../src/mail/recipient-slots.js';

/** RFC 2045 quoted-printable decoding, written here rather than borrowed from the encoder's side. */
function decodeQp(encoded: string): string {
  const bytes: number[] = [];
  const lines = encoded.split('\r\n');
  lines.forEach((line, n) => {
    let soft = false;
    for (let i = 0; i < line.length; i++) {
      if (line[i] !== '=') bytes.push(line.charCodeAt(i));
      else if (i === line.length - 1) soft = true;
      else {
        bytes.push(parseInt(line.slice(i + 1, i + 3), 16));
        i += 2;
      }
    }
    if (!soft && n < lines.length - 1) bytes.push(13, 10);
  });
  return Buffer.from(bytes).toString('utf8');
}

const pieceChars = fc.constantFrom(
  'a',
  'Z',
  ' ',
  '\t',
  '=',
  '.',
  '\n',
  'ä',
  'ß',
  '—',
  '李',
  '🎉',
  '<',
  '&',
  '~',
  '\x01',
  '\r\n',
);
const text = fc.array(pieceChars, { maxLength: 300 }).map((a) => a.join(''));

describe('encodeQp', () => {
  it('pieces encoded apart decode to the joined text; lines ≤ 76, ASCII only, no escape split, no bare trailing whitespace', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), (pieces) => {
        const encoded = pieces.map((p, i) => encodeQp(p, { open: i < pieces.length - 1 })).join('');
        expect(decodeQp(encoded)).toBe(pieces.join('').replace(/\r?\n/g, '\r\n'));
        for (const line of encoded.split('\r\n')) {
          expect(line.length).toBeLessThanOrEqual(76);
          expect(line).toMatch(/^[\x20-\x7e\t]*$/);
          expect(line).not.toMatch(/[ \t]$/);
          // every '=' is an escape or the soft break at the very end
          expect(line.replace(/=[0-9A-F]{2}/g, '').replace(/=$/, '')).not.toContain('=');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('what may be spliced', () => {
  const ok = (src: string) => templateSpliceable([src], ['name', 'unsubscribeUrl']);
  it('plain values and #if/#unless on them', () => {
    expect(
      ok(
        'Hello{{#if name}} {{name}}{{/if}}, {{{name}}} <a href="{{unsubscribeUrl}}">x</a>{{#unless name}}friend{{else}}{{name}}{{/unless}}',
      ),
    ).toBe(true);
    expect(ok('{{formatDate restockedAt locale}} {{productName}} {{#each items}}{{title}}{{/each}}')).toBe(true);
  });
  it('not: helpers over them, context-changing or custom blocks around them, partials, the whole context', () => {
    for (const src of [
      '{{formatDate name}}',
      '{{formatDate x name}}',
      '{{#each list}}{{name}}{{/each}}',
      '{{#with p}}{{#if name}}x{{/if}}{{/with}}',
      '{{#upper}}{{name}}{{/upper}}',
      '{{> footer}}',
      '{{lookup . "name"}}',
      '{{helper this}}',
      '{{name.first}}',
      '{{@root.name}}',
      '{{#if name "x"}}y{{/if}}',
      '{{#name}}y{{/name}}',
      '{{#if (eq name "x")}}y{{/if}}',
      '{{unclosed',
    ])
      expect(ok(src), src).toBe(false);
  });
  it('values: empty, safe, or per message', () => {
    expect(slotValue(null)).toBe('empty');
    expect(slotValue('')).toBe('empty');
    expect(slotValue('Ada  Lovelace')).toEqual({ value: 'Ada  Lovelace' });
    for (const v of [' Ada', 'Ada ', 'a\nb', 'a\tb', 'a\x02b', 42, {}]) expect(slotValue(v), String(v)).toBeUndefined();
  });
});
