import { z } from 'zod';
import { findProblem, normalizeEmail } from '../../mail/address.js';
import { isSafeText } from './text.js';

/**
 * An email address from outside (shop orders, admin lookups): the signup rules of `validateEmail`
 * (dot-atom local part, domain with a dot, ≤ 254 characters, no IP literal), trimmed.
 */
export const EmailAddress = z
  .string()
  .max(1000)
  .refine(isSafeText, 'must not contain control characters')
  .transform((s) => s.trim())
  .superRefine((s, ctx) => {
    const problem = findProblem(s, { allowIpLiteral: false });
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * The mailbox an address delivers to, for counting abuse limits (never for sending or uniqueness):
 * the normalized address without a `+tag`, and for Gmail (gmail.com, googlemail.com) without dots
 * in the local part. `Bomb+1@Gmail.com`, `b.o.m.b@googlemail.com` → `bomb@gmail.com`.
 */
export function canonicalMailbox(email: string): string {
  const normalized = normalizeEmail(email);
  const at = normalized.lastIndexOf('@');
  if (at < 1) return normalized;
  let local = normalized.slice(0, at);
  let domain = normalized.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (domain === 'gmail.com' || domain === 'googlemail.com') {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}
