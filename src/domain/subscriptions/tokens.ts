import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Unsubscribe tokens name exactly one subscription and cannot be forged without APP_SECRET:
 * `<id base36>.<HMAC-SHA256(secret, "unsubscribe:<id>") base64url, 128 bits>`. They never expire —
 * an unsubscribe link in an old email must keep working.
 */
export function createUnsubscribeToken(secret: string, subscriptionId: number): string {
  const id = subscriptionId.toString(36);
  return `${id}.${mac(secret, `unsubscribe:${subscriptionId}`)}`;
}

/** @returns the subscription id the token names, or undefined when it is malformed or forged. */
export function verifyUnsubscribeToken(secret: string, token: string): number | undefined {
  const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match?.[1] || !match[2]) return undefined;
  const id = Number.parseInt(match[1], 36);
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const expected = Buffer.from(mac(secret, `unsubscribe:${id}`));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
}

export function unsubscribeUrl(baseUrl: string, secret: string, subscriptionId: number): string {
  return `${baseUrl}/unsubscribe?token=${createUnsubscribeToken(secret, subscriptionId)}`;
}

/** A single-use random token; only its hash is stored, so a database leak reveals no live token. */
export function createRandomToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22);
}
