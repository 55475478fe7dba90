import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { AppError, type ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { AppEnv } from './context.js';

/** The one code → status table. */
export const statusByCode: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CSRF_INVALID: 403,
  TEMPLATE_INVALID: 422,
  NOT_CAPTURE_MODE: 409,
  NOT_FOUND: 404,
  UNKNOWN_SKU: 404,
  IN_STOCK: 409,
  CONFLICT: 409,
  INVALID_TOKEN: 404,
  TOKEN_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  NOT_READY: 503,
  INTERNAL: 500,
};

/**
 * The one code → page table for HTML routes: which catalogue keys (templates/pages/<locale>.json) a
 * shopper sees for an error, and where the page links back to. A route may pass a `context`
 * (e.g. `confirm`): `error.<context>.<CODE>.title|text` then wins over the generic keys when present.
 */
export type ErrorPage = { title: string; text: string; back?: 'form' | 'home' };
const page = (code: ErrorCode, back?: ErrorPage['back']): ErrorPage => ({
  title: `error.${code}.title`,
  text: `error.${code}.text`,
  ...(back ? { back } : {}),
});
export const pageByCode: Record<ErrorCode, ErrorPage> = {
  VALIDATION: page('VALIDATION', 'form'),
  BAD_REQUEST: page('BAD_REQUEST'),
  UNAUTHORIZED: page('UNAUTHORIZED'),
  FORBIDDEN: page('FORBIDDEN'),
  CSRF_INVALID: page('CSRF_INVALID', 'form'),
  TEMPLATE_INVALID: page('TEMPLATE_INVALID'),
  NOT_CAPTURE_MODE: page('NOT_CAPTURE_MODE'),
  NOT_FOUND: page('NOT_FOUND', 'home'),
  UNKNOWN_SKU: page('UNKNOWN_SKU'),
  IN_STOCK: page('IN_STOCK'),
  CONFLICT: page('CONFLICT', 'form'),
  INVALID_TOKEN: page('INVALID_TOKEN'),
  TOKEN_EXPIRED: page('TOKEN_EXPIRED'),
  PAYLOAD_TOO_LARGE: page('PAYLOAD_TOO_LARGE', 'form'),
  UNSUPPORTED_MEDIA_TYPE: page('UNSUPPORTED_MEDIA_TYPE', 'form'),
  RATE_LIMITED: page('RATE_LIMITED', 'form'),
  NOT_READY: page('NOT_READY'),
  INTERNAL: page('INTERNAL'),
};

export type ErrorBody = {
  error: { code: ErrorCode; message: string; requestId: string; details?: unknown };
};

export function errorBody(c: Context<AppEnv>, code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return {
    error: { code, message, requestId: c.get('requestId') ?? '', ...(details === undefined ? {} : { details }) },
  };
}

/** zod issues → `details` that tell a caller which field is wrong and why. */
export function zodDetails(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/**
 * A framework error that is the caller's fault (hono's HTTPException 4xx: malformed JSON or form
 * body, a multipart body without boundary) as the AppError it stands for; undefined otherwise.
 */
export function asClientError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const code: ErrorCode =
    status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
  return new AppError(code, (err as Error).message || 'Bad request', { cause: err });
}

/**
 * Maps anything thrown to the error envelope. AppErrors carry their own code; anything else is a
 * 500 with a generic message, logged with its cause.
 */
export function respondWithError(c: Context<AppEnv>, err: unknown, log: Logger): Response {
  if (err instanceof AppError) {
    const status = statusByCode[err.code];
    if (err.retryAfter !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(err.retryAfter))));
    if (status >= 500) log.error({ err, requestId: c.get('requestId') }, err.message);
    return c.json(errorBody(c, err.code, err.message, err.details), status);
  }
  // Malformed JSON and similar parse failures surface from hono as HTTPException(400).
  const client = asClientError(err);
  if (client) return c.json(errorBody(c, client.code, client.message), statusByCode[client.code]);
  log.error({ err, requestId: c.get('requestId'), method: c.req.method, path: c.req.path }, 'unhandled error');
  return c.json(errorBody(c, 'INTERNAL', 'Something went wrong on our side. Try again later.'), 500);
}
