import { OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { AppEnv } from './context.js';
import { asClientError, errorBody, zodDetails } from './errors.js';
import { renderErrorPage, type ErrorPageOptions } from './pages/error-page.js';

/** A JSON router: validation failures answer with the error envelope (400 VALIDATION). */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return c.json(errorBody(c, 'VALIDATION', 'The request is not valid.', zodDetails(result.error)), 400);
      }
    },
  });
}

export type PageRouterOptions = ErrorPageOptions & {
  log: Logger;
  /** What a request failing validation means on these pages (a mangled link → INVALID_TOKEN, say). */
  invalid?: AppError['code'];
};

/**
 * A router for shopper HTML pages: a failed validation and every AppError thrown by a handler become
 * the error page from `pageByCode` in the shopper's language; anything else is logged and shown as the
 * INTERNAL page (never JSON, never a stack).
 */
export function createPageRouter(options: PageRouterOptions): OpenAPIHono<AppEnv> {
  const { log, invalid = 'VALIDATION', ...pageOptions } = options;
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success)
        return renderErrorPage(
          c,
          new AppError(invalid, 'invalid request', { details: zodDetails(result.error) }),
          pageOptions,
        );
    },
  });
  app.onError((err, c) => {
    const client = asClientError(err);
    if (client) return renderErrorPage(c, client, pageOptions);
    log.error({ err, requestId: c.get('requestId'), method: c.req.method, path: c.req.path }, 'unhandled error');
    return renderErrorPage(c, new AppError('INTERNAL', 'internal'), pageOptions);
  });
  return app;
}
