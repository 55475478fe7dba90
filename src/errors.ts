/** Every failure a caller can cause or meet has one code; `http/errors.ts` maps codes to statuses. */
export type ErrorCode =
  | 'VALIDATION'
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CSRF_INVALID'
  | 'TEMPLATE_INVALID'
  | 'NOT_CAPTURE_MODE'
  | 'NOT_FOUND'
  | 'UNKNOWN_SKU'
  | 'IN_STOCK'
  | 'CONFLICT'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'NOT_READY'
  | 'INTERNAL';

export type AppErrorOptions = {
  cause?: unknown;
  details?: unknown;
  /** Seconds, for RATE_LIMITED (sent as `Retry-After`). */
  retryAfter?: number;
};

/** The one error type domain code throws. */
export class AppError extends Error {
  readonly details?: unknown;
  readonly retryAfter?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
