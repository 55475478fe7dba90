import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks a base64 HMAC-SHA256 signature (Shopify `X-Shopify-Hmac-Sha256`, WooCommerce
 * `X-WC-Webhook-Signature`) over the RAW request bytes — re-serialized JSON would not match.
 * Digests are compared in constant time; a missing or malformed header is simply false.
 */
export function verifyWebhookSignature(secret: string, rawBody: Uint8Array, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const presented = Buffer.from(signature.trim(), 'base64');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** The signature header value for `rawBody` (tests and local tooling sign fixtures with it). */
export function signWebhook(secret: string, rawBody: string | Uint8Array): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}
