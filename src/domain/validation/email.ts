import { normalizeEmail } from '../../mail/address.js';

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
