import { describe, expect, it } from 'vitest';
import { classifyClick, SCANNER_WINDOW_MS } from '../../../src/domain/clicks/classify-click.js';
import { createClickToken, verifyClickToken } from '../../../src/domain/clicks/link-token.js';

/** Issue 22 point 1: HEAD, known scanner user agents and clicks within 2 s of delivery are scanners. */
const deliveredAt = new Date('2026-03-01T12:00:00Z');
const later = (ms: number) => new Date(deliveredAt.getTime() + ms);
const SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('classifyClick', () => {
  it.each([
    ['a phone browser a minute later', 'GET', SAFARI, later(60_000), { kind: 'person' }],
    ['a desktop browser exactly 2 s later', 'GET', CHROME, later(SCANNER_WINDOW_MS), { kind: 'person' }],
    [
      'a browser 1.9 s after delivery (a gateway detonating on arrival)',
      'GET',
      CHROME,
      later(1900),
      { kind: 'scanner', reason: 'too_fast' },
    ],
    ['HEAD, whatever the user agent', 'HEAD', SAFARI, later(3600_000), { kind: 'scanner', reason: 'head' }],
    [
      'Microsoft Office existence discovery',
      'GET',
      'Microsoft Office Existence Discovery',
      later(600_000),
      { kind: 'scanner', reason: 'user_agent' },
    ],
    [
      'Barracuda',
      'GET',
      'Mozilla/5.0 (compatible; Barracuda Sentinel (EE))',
      later(600_000),
      { kind: 'scanner', reason: 'user_agent' },
    ],
    [
      'Proofpoint URL Defense',
      'GET',
      'Proofpoint URL Defense/1.0',
      later(600_000),
      { kind: 'scanner', reason: 'user_agent' },
    ],
    [
      'Google image proxy',
      'GET',
      'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      later(600_000),
      { kind: 'scanner', reason: 'user_agent' },
    ],
    [
      'Slack unfurling a shared link',
      'GET',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      later(600_000),
      { kind: 'scanner', reason: 'user_agent' },
    ],
    ['curl', 'GET', 'curl/8.5.0', later(600_000), { kind: 'scanner', reason: 'user_agent' }],
    ['no user agent at all', 'GET', undefined, later(600_000), { kind: 'scanner', reason: 'user_agent' }],
  ] as const)('%s', (_name, method, userAgent, at, expected) => {
    expect(classifyClick({ method, userAgent, deliveredAt, at })).toEqual(expected);
  });

  it('a delivery without a recorded send time is judged by method and user agent only', () => {
    expect(classifyClick({ method: 'GET', userAgent: SAFARI, deliveredAt: null, at: deliveredAt })).toEqual({
      kind: 'person',
    });
  });
});

describe('click tokens', () => {
  const secret = 'a-secret-of-at-least-32-characters-xyz';
  const target =
    'https://shop.example/products/linen?utm_source=restock-notifier&utm_medium=email&utm_campaign=back-in-stock';

  it('name one delivery and one target, and nothing else verifies', () => {
    const token = createClickToken(secret, 4711, target);
    expect(verifyClickToken(secret, token)).toEqual({ deliveryId: 4711, target });
    const [id, url, mac] = token.split('.');
    // Another delivery, another target, another secret, a truncated MAC: all refused.
    expect(verifyClickToken(secret, `${(4712).toString(36)}.${url}.${mac}`)).toBeUndefined();
    expect(
      verifyClickToken(secret, `${id}.${Buffer.from('https://evil.example/').toString('base64url')}.${mac}`),
    ).toBeUndefined();
    expect(verifyClickToken('another-secret-of-at-least-32-chars!!', token)).toBeUndefined();
    expect(verifyClickToken(secret, token.slice(0, -1))).toBeUndefined();
  });

  it('even a signed token never redirects to anything but http(s)', () => {
    expect(verifyClickToken(secret, createClickToken(secret, 1, 'javascript:alert(1)'))).toBeUndefined();
  });
});
