import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: the cookie value. Only its hash is stored. */
export const newSessionId = () => randomBytes(32).toString('base64url');
export const newCsrfToken = () => randomBytes(24).toString('base64url');
export const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex');

/** Absolute lifetime: a session cannot be kept alive by use for longer than this. */
export const SESSION_MAX_MS = 7 * 24 * 3600 * 1000;
