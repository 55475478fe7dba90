import fc from 'fast-check';
import { foldLines } from 'nodemailer/lib/mime-funcs';
import MimeNode from 'nodemailer/lib/mime-node';
import { describe, expect, it } from 'vitest';
import { toLine } from '../../src/mail/message-frame.js';

/** The `To:` line nodemailer itself writes (MimeNode.buildHeaders: encoded value, folded at 76). */
const node = new MimeNode() as unknown as {
  _normalizeHeaderKey(k: string): string;
  encodeHeaderValue(k: string, v: string): string;
};
const nodemailerTo = (to: string) =>
  foldLines(`${node._normalizeHeaderKey('to')}: ${node.encodeHeaderValue('to', to)}`, 76);

describe('toLine (a frame’s To header without nodemailer’s address parser)', () => {
  it('writes exactly what nodemailer writes, for any address', () => {
    const chars = fc.constantFrom(...'abcXYZ019.!#$%&\'*+/=?^_`{|}~-@" ()<>,;:[]\\éü'.split(''));
    const domains = fc.constantFrom(
      'example.com',
      'EXAMPLE.com',
      'a-b.c',
      'x..y',
      'é.de',
      'localhost',
      '1.2',
      '0x1.a',
      'a.123',
      'xn--bcher-kva.de',
      'a.xn--p1ai',
      '-a.b',
      'a.b-',
    );
    const address = fc.oneof(
      fc.string({ unit: chars, minLength: 1, maxLength: 80 }),
      fc
        .tuple(fc.string({ unit: chars, minLength: 1, maxLength: 70 }), domains)
        .map(([local, domain]) => `${local.replace(/@/g, '')}@${domain}`),
    );
    fc.assert(
      fc.property(address, (to) => {
        expect(toLine(to)).toBe(nodemailerTo(to));
      }),
      { numRuns: 20_000 },
    );
  });

  it('writes a wave’s ordinary addresses as they are', () => {
    for (const to of ['fan-1@example.com', 'a.b+tag@sub.shop-example.org', `${'x'.repeat(59)}@example.com`])
      expect(toLine(to)).toBe(`To: ${to}`);
  });
});
