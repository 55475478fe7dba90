import { createHash, randomBytes } from 'node:crypto';

/** Every console-made token starts with this, so the bearer check knows to look in the database (and secret scanners can spot one). */
const TOKEN_MARK = 'rnt_';
/** `rnt_` + 8 characters: enough to find the row and to recognise the token in a list; the other 35 stay secret. */
const PREFIX_LENGTH = TOKEN_MARK.length + 8;

/** A new token: `rnt_` + 32 random bytes (256 bits) as base64url. Shown once, never stored. */
export const newApiToken = () => `${TOKEN_MARK}${randomBytes(32).toString('base64url')}`;
export const hashApiToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const prefixOf = (token: string) => token.slice(0, PREFIX_LENGTH);
export const looksLikeApiToken = (token: string) =>
  token.startsWith(TOKEN_MARK) && token.length > PREFIX_LENGTH && token.length <= 100;
