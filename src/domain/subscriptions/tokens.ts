import { createHash, randomBytes } from 'node:crypto';
import { createSignedIdToken, verifySignedIdToken } from '../tokens/signed-id.js';

/** Unsubscribe tokens (purpose `unsubscribe`, signed-id.ts): one subscription; they never expire. */
export const createUnsubscribeToken = (secret: string, subscriptionId: number): string =>
  createSignedIdToken(secret, 'unsubscribe', subscriptionId);

/** @returns the subscription id the token names, or undefined when it is malformed or forged. */
export const verifyUnsubscribeToken = (secret: string, token: string): number | undefined =>
  verifySignedIdToken(secret, 'unsubscribe', token);

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
