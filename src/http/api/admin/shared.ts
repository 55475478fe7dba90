import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '../../../errors.js';
import type { AppEnv, Principal } from '../../env.js';

/** Every admin route: a bearer token (API_TOKENS) or the console's session cookie (+ X-CSRF-Token on mutations). */
export const adminSecurity: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];

export const ErrorEnvelope = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), requestId: z.string(), details: z.unknown().optional() }),
  })
  .openapi('Error');

const err = (description: string) => ({ description, content: { 'application/json': { schema: ErrorEnvelope } } });

/** The answers every admin route may give besides its own. */
export const adminErrors = {
  400: err('VALIDATION: the request is not valid'),
  401: err('UNAUTHORIZED: no or unknown credentials'),
  403: err('FORBIDDEN (wrong scope/role) or CSRF_INVALID (session mutation without X-CSRF-Token)'),
} as const;
export const notFound = { 404: err('NOT_FOUND') } as const;
export const conflict = (d: string) => ({ 409: err(d) }) as const;
export const invalid = { 422: err('TEMPLATE_INVALID: details = the blocking checks') } as const;

export const CheckSchema = z
  .object({
    code: z.string().openapi({ example: 'MJML_ERROR' }),
    message: z.string(),
    level: z.enum(['error', 'warning']),
    line: z.number().int().optional().openapi({ description: '1-based line in the MJML source' }),
    field: z.string().optional().openapi({ description: '`subject`, `mjml`, or a pages message key' }),
  })
  .openapi('TemplateCheck');

/** The caller (set by `adminAccess`, which runs before every admin route). */
export function principalOf(c: Context<AppEnv>): Principal {
  const p = c.get('principal');
  if (!p) throw new AppError('UNAUTHORIZED', 'Not authenticated.');
  return p;
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
