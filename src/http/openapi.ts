import { z } from '@hono/zod-openapi';
import type { ErrorCode } from '../errors.js';
import { statusByCode } from './errors.js';

/** The error envelope every JSON route answers with, declared once for the OpenAPI document. */
const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION' }),
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('ErrorBody');

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503;
type ErrorResponse = { description: string; content: { 'application/json': { schema: typeof ErrorBodySchema } } };

/** Codes that map to a status, from `statusByCode`, so the description never drifts from the table. */
const codesFor = (status: number) =>
  (Object.entries(statusByCode) as [ErrorCode, number][]).filter(([, s]) => s === status).map(([code]) => code);

/**
 * OpenAPI `responses` entries for the given statuses, all with the one ErrorBody schema:
 * `responses: { 200: …, ...errorResponses(400, 401, 403) }`. `notes` adds route-specific words.
 */
export function errorResponses<S extends ErrorStatus>(...statuses: (S | [S, string])[]): Record<S, ErrorResponse> {
  const out = {} as Record<S, ErrorResponse>;
  for (const entry of statuses) {
    const [status, note]: [S, string | undefined] = Array.isArray(entry) ? entry : [entry, undefined];
    const description = [codesFor(status).join(' or '), note].filter(Boolean).join(': ');
    out[status] = { description, content: { 'application/json': { schema: ErrorBodySchema } } };
  }
  return out;
}

type RegistryLike = {
  definitions: {
    type: string;
    route?: {
      path: string;
      request?: { body?: unknown; params?: unknown; query?: unknown };
      responses: Record<string, unknown>;
    };
  }[];
};

/**
 * Every route that validates a request answers 400 for an invalid one, and every route with a body
 * answers 415 for a body of another media type (the validator's doing, not the handler's). Rather
 * than ask each route to remember both, they are added here — once, over the whole registry — to
 * every operation that does not document them itself. Call after the last route is registered.
 */
export function documentRequestErrors(registry: RegistryLike): void {
  for (const d of registry.definitions) {
    const route = d.type === 'route' ? d.route : undefined;
    if (!route?.request) continue;
    const { body, params, query } = route.request;
    // API routes answer the JSON envelope; pages answer an HTML error page (renderErrorPage).
    const api = route.path.startsWith('/api/');
    const add = (status: 400 | 415, note: string) =>
      Object.assign(
        route.responses,
        api ? errorResponses([status, note]) : { [status]: { description: `HTML error page: ${note}` } },
      );
    if ((body || params || query) && !route.responses['400']) add(400, 'the request is not valid');
    if (body && !route.responses['415']) add(415, 'the body is not of the documented media type');
  }
}

/**
 * The 200 answer of a bulk registration route (backorders, orders): counts, and the rejected rows with
 * their number, the row's own identifying keys (`rowKeys`), an error code and the field errors.
 */
export function batchSummaryResponse(name: string, rowKeys: Record<string, z.ZodType>) {
  const schema = z
    .object({
      received: z.number().int(),
      created: z.number().int(),
      existing: z.number().int(),
      rejected: z.number().int(),
      errors: z.array(
        z.object({
          row: z.number().int(),
          ...rowKeys,
          code: z.string(),
          errors: z.array(z.object({ path: z.string(), message: z.string() })),
        }),
      ),
    })
    .openapi(name);
  return { description: 'Summary with per-row errors', content: { 'application/json': { schema } } };
}
