import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { TemplateContent } from './evaluate-template.js';
import { PAGES_KEY } from './template-versions.js';

/** An email's `{subject, mjml}` or the pages' `{messages}`: the body of save and preview. */
const ContentInput = z.object({
  subject: z.string().max(500).optional(),
  mjml: z.string().max(500_000).optional(),
  messages: z.record(z.string().max(200), z.string().max(5000)).optional(),
  sku: z.string().min(1).max(200).optional(),
});

/** Checks the body fits the key: emails need subject and mjml, the pages' catalogue needs messages. */
export function contentFor(key: string, input: unknown): TemplateContent & { sku?: string } {
  const parsed = ContentInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The template is not valid.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const c = parsed.data;
  if (key === PAGES_KEY) {
    if (!c.messages)
      throw new AppError('VALIDATION', 'The pages catalogue needs `messages`.', {
        details: [{ path: 'messages', message: 'required' }],
      });
    return { subject: '', mjml: '', messages: c.messages, sku: c.sku };
  }
  if (c.subject === undefined || c.mjml === undefined) {
    throw new AppError('VALIDATION', 'An email template needs `subject` and `mjml`.', {
      details: [
        ...(c.subject === undefined ? [{ path: 'subject', message: 'required' }] : []),
        ...(c.mjml === undefined ? [{ path: 'mjml', message: 'required' }] : []),
      ],
    });
  }
  return { subject: c.subject, mjml: c.mjml, messages: null, sku: c.sku };
}

export const sameContent = (a: TemplateContent, b: TemplateContent) =>
  a.subject === b.subject &&
  a.mjml === b.mjml &&
  JSON.stringify(a.messages ?? null) === JSON.stringify(b.messages ?? null);
