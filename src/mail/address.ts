import { AppError } from '../errors.js';

export type ValidEmail = {
  /** What we send to: trimmed, domain lower-cased, local part kept as typed. */
  email: string;
  /** What uniqueness and suppression use: the whole address lower-cased (see `normalizeEmail`). */
  normalized: string;
};

export type EmailRules = { allowIpLiteral: boolean };

// RFC 5322 `atext` plus RFC 6531 UTF-8: a dot-atom local part. Quoted local parts ("a b"@x) are
// valid on paper but in practice only ever typed by attackers and test suites: we reject them.
const LOCAL_ATOM = /^[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?$/u;

/**
 * The key an address is unique and suppressed under. The WHOLE address is lower-cased, local part
 * included: RFC 5321 lets a server treat the local part case-sensitively, but no mainstream mailbox
 * provider does, and shoppers type "Jane@" on one device and "jane@" on another. Keeping the local
 * part's case would let one person hold two subscriptions for a SKU and, worse, slip past a
 * suppression by changing one letter's case. The address as typed is still what we send to.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Validates and normalizes a shopper's address.
 * Rules: trimmed; ≤ 254 characters in all and ≤ 64 before the `@` (RFC 5321 4.5.3.1); exactly one
 * `@`; a dot-atom local part; a domain of valid labels containing a dot. IP literals (`[1.2.3.4]`, or a
 * bare all-numeric domain) are rejected unless `allowIpLiteral`.
 * @throws AppError VALIDATION with `details: [{ path: 'email', message }]`.
 */
export function validateEmail(raw: string, rules: EmailRules): ValidEmail {
  const problem = findProblem(raw.trim(), rules);
  if (problem)
    throw new AppError('VALIDATION', 'The email address is not valid.', {
      details: [{ path: 'email', message: problem }],
    });
  const trimmed = raw.trim();
  const at = trimmed.indexOf('@');
  const email = `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
  return { email, normalized: normalizeEmail(email) };
}

/** Why `email` (already trimmed) is not an address we accept, or undefined when it is. */
export function findProblem(email: string, rules: EmailRules): string | undefined {
  if (email.length === 0) return 'is required';
  if (email.length > 254) return 'must be at most 254 characters';
  const parts = email.split('@');
  if (parts.length !== 2) return 'must contain exactly one @';
  const [local = '', domain = ''] = parts;
  if (local.length === 0) return 'needs a name before the @';
  if (local.length > 64) return 'must have at most 64 characters before the @';
  if (!local.split('.').every((atom) => LOCAL_ATOM.test(atom)))
    return 'has characters that are not allowed before the @';
  if (domain.length === 0) return 'needs a domain after the @';
  const isBracketLiteral = domain.startsWith('[') && domain.endsWith(']');
  const isBareIp = /^[0-9.]+$/.test(domain) || domain.includes(':');
  if (isBracketLiteral || isBareIp) {
    if (!rules.allowIpLiteral) return 'must use a domain name, not an IP address';
    return isBracketLiteral && isIpLiteral(domain.slice(1, -1)) ? undefined : 'has an invalid IP address literal';
  }
  const labels = domain.split('.');
  if (labels.length < 2) return 'needs a domain with a dot (like example.com)';
  for (const label of labels) {
    if (label.length === 0) return 'has an empty part in the domain';
    if (label.length > 63) return 'has a domain part longer than 63 characters';
    if (!DOMAIN_LABEL.test(label)) return 'has characters that are not allowed in the domain';
  }
  return undefined;
}

function isIpLiteral(inner: string): boolean {
  if (/^IPv6:[0-9a-f:.]+$/i.test(inner)) return true;
  const octets = inner.split('.');
  return octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}
