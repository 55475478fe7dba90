import { createHash, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** A fresh 2048-bit RSA key pair: the private key as PEM for DKIM_PRIVATE_KEY, the public key to verify with. */
export function dkimKeyPair(): { privateKeyPem: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

type Field = { name: string; raw: string };

function splitMessage(raw: string): { fields: Field[]; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at + 4);
  const fields: Field[] = [];
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1]!.raw += `\r\n${line}`;
    else fields.push({ name: line.slice(0, line.indexOf(':')).trim().toLowerCase(), raw: line });
  }
  return { fields, body };
}

/** RFC 6376 §3.4.2 relaxed header canonicalization of one field. */
function relaxedHeader(field: string): string {
  const colon = field.indexOf(':');
  const name = field.slice(0, colon).trim().toLowerCase();
  const value = field
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

/** RFC 6376 §3.4.4 relaxed body canonicalization. */
function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}

/**
 * Verifies the (single) DKIM-Signature of a raw message (CRLF line ends, as received over SMTP):
 * rsa-sha256 with relaxed/relaxed canonicalization, what nodemailer signs with. Written from RFC 6376
 * with node:crypto so the test does not trust the signer's own code. @returns the problem, or 'pass'.
 */
export function verifyDkim(raw: string, publicKey: KeyObject, expect: { domain: string; selector: string }): string {
  const { fields, body } = splitMessage(raw);
  const sigField = fields.find((f) => f.name === 'dkim-signature');
  if (!sigField) return 'no DKIM-Signature';
  const tags = new Map(
    sigField.raw
      .slice(sigField.raw.indexOf(':') + 1)
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => [t.slice(0, t.indexOf('=')).trim(), t.slice(t.indexOf('=') + 1).replace(/\s+/g, '')] as const),
  );
  if (tags.get('a') !== 'rsa-sha256') return `algorithm ${tags.get('a')}`;
  if (tags.get('c') !== 'relaxed/relaxed') return `canonicalization ${tags.get('c')}`;
  if (tags.get('d') !== expect.domain || tags.get('s') !== expect.selector)
    return `d=${tags.get('d')} s=${tags.get('s')}`;
  const bodyHash = createHash('sha256').update(relaxedBody(body)).digest('base64');
  if (bodyHash !== tags.get('bh')) return 'body hash mismatch';
  // Each name in h= takes the last not yet used instance of that field (RFC 6376 §5.4.2).
  const used = new Set<Field>();
  const signed: string[] = [];
  for (const name of (tags.get('h') ?? '').toLowerCase().split(':')) {
    const f = [...fields].reverse().find((x) => x.name === name && !used.has(x) && x !== sigField);
    if (!f) continue;
    used.add(f);
    signed.push(`${relaxedHeader(f.raw)}\r\n`);
  }
  signed.push(relaxedHeader(sigField.raw.replace(/(\bb=)[^;]*/, '$1')));
  const ok = createVerify('RSA-SHA256')
    .update(signed.join(''))
    .verify(publicKey, tags.get('b') ?? '', 'base64');
  return ok ? 'pass' : 'signature mismatch';
}
