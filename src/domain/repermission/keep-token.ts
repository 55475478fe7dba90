import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The "yes, keep me on the list" link names one subscription and cannot be forged without APP_SECRET:
 * `<id base36>.<HMAC-SHA256(secret, "keep:<id>") base64url, 128 bits>` (the unsubscribe token's shape,
 * another purpose, so neither token works for the other). It only ever renews consent of a
 * subscription that is still waiting, so it need not expire.
 */
export function createKeepToken(secret: string, subscriptionId: number): string {
  return `${subscriptionId.toString(36)}.${mac(secret, subscriptionId)}`;
}

/** @returns the subscription id, or undefined for a malformed or forged token. */
export function verifyKeepToken(secret: string, token: string): number | undefined {
  const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match?.[1] || !match[2]) return undefined;
  const id = Number.parseInt(match[1], 36);
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const expected = Buffer.from(mac(secret, id));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
}

export function keepUrl(baseUrl: string, secret: string, subscriptionId: number): string {
  return `${baseUrl}/still-interested?token=${createKeepToken(secret, subscriptionId)}`;
}

function mac(secret: string, id: number): string {
  return createHmac('sha256', secret).update(`keep:${id}`).digest('base64url').slice(0, 22);
}
