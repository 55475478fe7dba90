import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Order-line tokens name exactly one backorder line and cannot be forged without APP_SECRET:
 * `<line id base36>.<HMAC-SHA256(secret, "order:<id>") base64url, 128 bits>`. The purpose prefix keeps
 * them apart from unsubscribe tokens (same shape, different MAC input). They do not expire: a link
 * in a notice must keep working for as long as the order does.
 */
export function createOrderToken(secret: string, backorderId: number): string {
  return `${backorderId.toString(36)}.${mac(secret, backorderId)}`;
}

/** @returns the line id the token names, or undefined when it is malformed or forged. */
export function verifyOrderToken(secret: string, token: string): number | undefined {
  const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match?.[1] || !match[2]) return undefined;
  const id = Number.parseInt(match[1], 36);
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const expected = Buffer.from(mac(secret, id));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
}

export function orderPageUrl(baseUrl: string, secret: string, backorderId: number): string {
  return `${baseUrl}/orders/${createOrderToken(secret, backorderId)}`;
}

function mac(secret: string, id: number): string {
  return createHmac('sha256', secret).update(`order:${id}`).digest('base64url').slice(0, 22);
}
