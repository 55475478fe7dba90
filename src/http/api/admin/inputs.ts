import { z } from '@hono/zod-openapi';

/**
 * Bounded text for admin inputs. PostgreSQL refuses NUL in text and jsonb (a 500 if it got through),
 * and control characters have no business in a search box, an address or a shop name; MJML and
 * long texts may span lines. Lone UTF-16 surrogates are refused too.
 */
// No lone surrogate: a high one not followed by a low one, or a low one without a high one before it.
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
export const line = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters')
    .refine(wellFormed, 'must be well-formed text');
export const lines = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'must not contain control characters')
    .refine(wellFormed, 'must be well-formed text');

export const SkuParam = line(200).min(1);
export const EmailParam = line(254).min(3).openapi({ example: 'ada@example.com' });
/** Paging: bounded so an absurd offset is a 400, not a database error. */
export const limit = (def: number, max: number) => z.coerce.number().int().min(1).max(max).optional().default(def);
export const offset = z.coerce.number().int().min(0).max(10_000_000).optional().default(0);
export const Id = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
