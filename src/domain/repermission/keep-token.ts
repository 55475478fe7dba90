import { createSignedIdToken, verifySignedIdToken } from '../tokens/signed-id.js';

/**
 * "Yes, keep me on the list" tokens (purpose `keep`, signed-id.ts): one subscription. It only ever
 * renews consent of a subscription that is still waiting, so it need not expire.
 */
const createKeepToken = (secret: string, subscriptionId: number): string =>
  createSignedIdToken(secret, 'keep', subscriptionId);

/** @returns the subscription id, or undefined for a malformed or forged token. */
export const verifyKeepToken = (secret: string, token: string): number | undefined =>
  verifySignedIdToken(secret, 'keep', token);

export function keepUrl(baseUrl: string, secret: string, subscriptionId: number): string {
  return `${baseUrl}/still-interested?token=${createKeepToken(secret, subscriptionId)}`;
}
