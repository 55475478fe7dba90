import { createSignedIdToken, verifySignedIdToken } from '../tokens/signed-id.js';

/** Order-line tokens (purpose `order`): one backorder line, valid as long as the order (signed-id.ts). */
export const createOrderToken = (secret: string, backorderId: number): string =>
  createSignedIdToken(secret, 'order', backorderId);

/** @returns the line id the token names, or undefined when it is malformed or forged. */
export const verifyOrderToken = (secret: string, token: string): number | undefined =>
  verifySignedIdToken(secret, 'order', token);

export function orderPageUrl(baseUrl: string, secret: string, backorderId: number): string {
  return `${baseUrl}/orders/${createOrderToken(secret, backorderId)}`;
}
