import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tracked-link tokens: `<delivery id base36>.<target URL base64url>.<HMAC-SHA256(APP_SECRET,
 * "click:<id>:<target>") base64url, 128 bits>`. The MAC covers the delivery and the exact target, so
 * a token redirects only to the URL it was made for (no open redirect: changing the target breaks
 * the MAC) and counts only for its delivery. The purpose prefix keeps it apart from every other
 * signed token (unsubscribe, order page). They do not expire: the links sit in emails.
 */
export function createClickToken(secret: string, deliveryId: number, target: string): string {
  return `${deliveryId.toString(36)}.${Buffer.from(target).toString('base64url')}.${mac(secret, deliveryId, target)}`;
}

/** @returns the delivery and target the token names, or undefined when it is malformed or forged. */
export function verifyClickToken(secret: string, token: string): { deliveryId: number; target: string } | undefined {
  const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  const deliveryId = Number.parseInt(m[1], 36);
  if (!Number.isSafeInteger(deliveryId) || deliveryId <= 0) return undefined;
  const target = Buffer.from(m[2], 'base64url').toString('utf8');
  const expected = Buffer.from(mac(secret, deliveryId, target));
  const given = Buffer.from(m[3]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  // Signed by us, but a redirect goes to http(s) only, whatever a template put in the link.
  if (!/^https?:\/\//i.test(target)) return undefined;
  return { deliveryId, target };
}

/** The tracked form of a product link in one delivery. */
export function trackedLinkUrl(baseUrl: string, secret: string, deliveryId: number, target: string): string {
  return `${baseUrl}/r/${createClickToken(secret, deliveryId, target)}`;
}

function mac(secret: string, deliveryId: number, target: string): string {
  return createHmac('sha256', secret).update(`click:${deliveryId}:${target}`).digest('base64url').slice(0, 22);
}
