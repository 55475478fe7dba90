import type { z } from 'zod';
import { AppError } from '../../errors.js';

/** Parses `input` with `schema`, or throws VALIDATION with `message` and one detail (path, message) per problem. */
export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, message: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AppError('VALIDATION', message, {
    details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
