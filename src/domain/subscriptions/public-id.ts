import { createHmac, randomBytes } from 'node:crypto';

/**
 * The id a subscription shows in public answers: `sub_` + 22 base64url characters of an HMAC of the
 * internal id under APP_SECRET. Sequential row ids would tell anyone how many shoppers sign up (and
 * invite guessing); this one is stable for a row (201 and later 200 answers agree) without a column,
 * and cannot be turned back into the row id without the secret.
 */
export function publicSubscriptionId(appSecret: string, id: number): string {
  return `sub_${createHmac('sha256', appSecret).update(`subscription:${id}`).digest('base64url').slice(0, 22)}`;
}

/** An id of the same shape for answers that stand for no row (the honeypot's fake success). */
export const randomPublicSubscriptionId = () => `sub_${randomBytes(17).toString('base64url').slice(0, 22)}`;
