import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '../../../errors.js';
import { errorResponses } from '../../openapi.js';
import type { AppEnv, Principal } from '../../context.js';

/** Every admin route: a bearer token (API_TOKENS) or the console's session cookie (+ X-CSRF-Token on mutations). */
export const adminSecurity: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];

/** The answers every admin route may give besides its own (413/415 for bodies, from the app's limits). */
export const adminErrors = errorResponses(
  [400, 'the request is not valid'],
  [401, 'no or unknown credentials'],
  [403, 'wrong scope/role, or a session mutation without X-CSRF-Token'],
  413,
  415,
);
export const notFound = errorResponses(404);
export const conflict = (note: string) => errorResponses([409, note]);
export const invalid = errorResponses([422, 'details = the blocking checks']);

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

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
