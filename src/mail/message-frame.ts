import { randomBytes } from 'node:crypto';
import Handlebars from 'handlebars';
import addressparser from 'nodemailer/lib/addressparser';
import { foldLines } from 'nodemailer/lib/mime-funcs';
import MimeNode from 'nodemailer/lib/mime-node';
import { encodeQp } from './quoted-printable.js';
import type { RenderedEmail } from './render.js';

/**
 * Compose once, splice per recipient. A frame is one complete MIME message (multipart/alternative,
 * text + HTML, quoted-printable) built once for everything a wave's recipients share, with holes for
 * the few values that differ per recipient. `build` fills the holes with each value encoded exactly
 * as its place needs (HTML-escaped or not, quoted-printable as a piece of its own; RFC 2047 through
 * nodemailer's own header encoder) and returns the raw message bytes for nodemailer's `raw` option.
 *
 * Holes come from rendering the template once with a marker per recipient variable (slotMarker):
 * Handlebars HTML-escapes the marker's `&` where the template escapes the variable, so the rendered
 * output says for each hole whether its value must be escaped. recipient-slots.ts decides when a
 * template and a value may be spliced at all; everything else takes the per-message path.
 */
export type MessageFrame = {
  /** Raw RFC 5322 bytes (CRLF) for one recipient. `values[i]` fills slot i (see recipient-slots.ts). */
  build(r: FrameRecipient): Buffer;
};

type FrameRecipient = {
  to: string;
  messageId: string;
  /** One value per slot, in slot order (a slot that was rendered empty for this frame is never read). */
  values: readonly string[];
  /** Per-recipient header fields (List-Unsubscribe). */
  headers?: Record<string, string>;
};

export type FrameSource = {
  from: string;
  /** The email rendered with `slotMarker(i)` for slot i's value. */
  rendered: RenderedEmail;
  /** Header fields every recipient gets (List-Id, List-Unsubscribe-Post). */
  headers: Record<string, string>;
};

/** Marker for slot `i`; `&` is the character Handlebars escapes, `\x02`/`\x03` never occur in output. */
export const slotMarker = (i: number): string => `\x02${i}&\x03`;
const MARKERS = /\x02(\d+)(&amp;|&)\x03/g;

// nodemailer's header encoding, used the way MimeNode.buildHeaders uses it: the same address
// formatting, RFC 2047 encoded-words and folding as a message nodemailer composes itself.
const headerNode = new MimeNode();
type KeyNormalizer = { _normalizeHeaderKey(key: string): string };
const headerLine = (key: string, value: string): string =>
  foldLines(
    `${(headerNode as unknown as KeyNormalizer)._normalizeHeaderKey(key)}: ${headerNode.encodeHeaderValue(key, value)}`,
    76,
  );

/** `Date:` as nodemailer writes it, recomputed once per second. */
let dateCache = { second: -1, line: '' };
function dateLine(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateCache.second)
    dateCache = { second, line: headerLine('Date', new Date(second * 1000).toUTCString().replace(/GMT/, '+0000')) };
  return dateCache.line;
}

/**
 * A plain ASCII address nodemailer writes unchanged: no name, nothing to quote, a lower-case domain
 * that is neither an IP address nor punycode (nodemailer normalizes those).
 */
const PLAIN_TO =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*$/;

/** `To:` as nodemailer writes it; a short plain address without parsing it (most of a wave's header cost). */
export function toLine(to: string): string {
  return to.length <= 71 && PLAIN_TO.test(to) && !to.includes('xn--') ? `To: ${to}` : headerLine('To', to);
}

type Slot = { slot: number; escape: boolean; open: boolean };
type Piece = Buffer | Slot;

/** The envelope sender nodemailer derives from a From header. */
export function envelopeFrom(from: string): string {
  return addressparser(from)[0]?.address ?? from;
}

/** Splits a rendered string at its markers: literal text and slots, alternating. */
function split(rendered: string): (string | { slot: number; escape: boolean })[] {
  const out: (string | { slot: number; escape: boolean })[] = [];
  let last = 0;
  for (const m of rendered.matchAll(MARKERS)) {
    out.push(rendered.slice(last, m.index));
    out.push({ slot: Number(m[1]), escape: m[2] === '&amp;' });
    last = (m.index ?? 0) + m[0].length;
  }
  out.push(rendered.slice(last));
  return out;
}

/**
 * @returns the frame, or undefined when the rendered email contains a marker character outside a
 * well-formed marker (a helper took a marker apart): that template is sent per message instead.
 */
export function createMessageFrame(source: FrameSource): MessageFrame | undefined {
  const { subject, html, text } = source.rendered;
  for (const s of [subject, html, text]) if (/[\x02\x03]/.test(s.replace(MARKERS, ''))) return undefined;
  // No `=_` can occur in quoted-printable (an `=` is followed by hex digits or a line break): the
  // boundary cannot appear inside the parts.
  const boundary = `=_rn_${randomBytes(12).toString('hex')}`;
  const subjectParts = split(subject);
  const constant = [headerLine('From', source.from)];
  if (subjectParts.length === 1) constant.push(headerLine('Subject', subject));
  for (const [k, v] of Object.entries(source.headers)) constant.push(headerLine(k, v));
  constant.push('MIME-Version: 1.0', `Content-Type: multipart/alternative; boundary="${boundary}"`);

  const pieces: Piece[] = [];
  let literal = '';
  const flush = () => {
    if (literal) pieces.push(Buffer.from(literal, 'latin1'));
    literal = '';
  };
  const part = (contentType: string, rendered: string, escapeMarkers: boolean) => {
    literal += `--${boundary}\r\nContent-Type: ${contentType}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`;
    const parts = split(rendered);
    parts.forEach((p, i) => {
      const open = i < parts.length - 1;
      if (typeof p === 'string') literal += encodeQp(p, { open });
      else {
        flush();
        pieces.push({ slot: p.slot, escape: escapeMarkers && p.escape, open });
      }
    });
    literal += '\r\n';
  };
  part('text/plain', text, false);
  part('text/html', html, true);
  literal += `--${boundary}--\r\n`;
  flush();
  const head = `${constant.join('\r\n')}\r\n`;

  return {
    build(r) {
      const lines = [toLine(r.to), headerLine('Message-ID', r.messageId), dateLine()];
      if (subjectParts.length > 1) {
        const s = subjectParts
          .map((p) => (typeof p === 'string' ? p : (r.values[p.slot] ?? '').replace(/\s+/g, ' ')))
          .join('');
        lines.push(headerLine('Subject', s));
      }
      if (r.headers) for (const [k, v] of Object.entries(r.headers)) lines.push(headerLine(k, v));
      const chunks: Buffer[] = [Buffer.from(`${head}${lines.join('\r\n')}\r\n\r\n`, 'utf8')];
      // A value often fills several holes in the same form (the name in text and HTML): encode once.
      const memo = new Map<number, Buffer>();
      for (const p of pieces) {
        if (Buffer.isBuffer(p)) {
          chunks.push(p);
          continue;
        }
        const key = p.slot * 4 + (p.escape ? 2 : 0) + (p.open ? 1 : 0);
        let enc = memo.get(key);
        if (!enc) {
          const value = r.values[p.slot] ?? '';
          enc = Buffer.from(
            encodeQp(p.escape ? Handlebars.Utils.escapeExpression(value) : value, { open: p.open }),
            'latin1',
          );
          memo.set(key, enc);
        }
        chunks.push(enc);
      }
      return Buffer.concat(chunks);
    },
  };
}
