import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A link token that names one row and cannot be forged without APP_SECRET:
 * `<id base36>.<HMAC-SHA256(secret, "<purpose>:<id>") base64url, 128 bits>`. The purpose is part of the
 * MAC input, so a token made for one purpose (unsubscribe, order page, keep-me) never works for
 * another. They do not expire: the links sit in emails that must keep working.
 */
export function createSignedIdToken(secret: string, purpose: string, id: number): string {
  return `${id.toString(36)}.${mac(secret, purpose, id)}`;
}

/** @returns the id the token names, or undefined when it is malformed, forged or for another purpose. */
export function verifySignedIdToken(secret: string, purpose: string, token: string): number | undefined {
  const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match?.[1] || !match[2]) return undefined;
  const id = Number.parseInt(match[1], 36);
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const expected = Buffer.from(mac(secret, purpose, id));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
}

function mac(secret: string, purpose: string, id: number): string {
  return createHmac('sha256', secret).update(`${purpose}:${id}`).digest('base64url').slice(0, 22);
}
