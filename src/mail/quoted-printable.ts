/**
 * Quoted-printable (RFC 2045 §6.7) for message bodies that are assembled from pieces: a fixed part
 * encoded once and per-recipient values encoded on their own (src/mail/message-frame.ts).
 *
 * Output is ASCII with CRLF hard line breaks for the input's line breaks (`\n` or `\r\n`) and encoded
 * lines of at most 76 characters (75 + the `=` of a soft break). An escape `=XX` is never split by a
 * soft break. Spaces and tabs stay literal except at the end of an encoded line that ends in a hard
 * break (or the end of the part), where a decoder would strip them.
 *
 * Pieces compose: `encodeQp(a, { open: true }) + encodeQp(b)` decodes to `a + b`, because an open
 * piece ends with a soft line break (`=\r\n`, decoded as nothing) whenever it is not at the start of
 * a line, so the next piece starts on a fresh line and its own wrapping is correct.
 */
const HEX = '0123456789ABCDEF';
/** Longest line before a soft break: 75 characters + `=` = 76 (RFC 2045's limit). */
const MAX = 75;

const escapeByte = (b: number) => `=${HEX[b >> 4]}${HEX[b & 15]}`;

/** The literal-or-escaped form of one UTF-16 code unit or surrogate pair, without line breaks. */
function encodeChar(input: string, i: number): { token: string; width: number } {
  const c = input.charCodeAt(i);
  if (c < 0x80) {
    // printable ASCII except '=', plus space and tab, stay literal
    if ((c >= 0x21 && c <= 0x7e && c !== 0x3d) || c === 0x20 || c === 0x09)
      return { token: input[i] as string, width: 1 };
    return { token: escapeByte(c), width: 1 };
  }
  let cp = c;
  let width = 1;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < input.length) {
    const lo = input.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) {
      cp = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
      width = 2;
    }
  }
  // A lone surrogate is not encodable as UTF-8: U+FFFD, as Buffer.from(str, 'utf8') does.
  if (width === 1 && c >= 0xd800 && c <= 0xdfff) cp = 0xfffd;
  let token: string;
  if (cp < 0x800) token = escapeByte(0xc0 | (cp >> 6)) + escapeByte(0x80 | (cp & 63));
  else if (cp < 0x10000)
    token = escapeByte(0xe0 | (cp >> 12)) + escapeByte(0x80 | ((cp >> 6) & 63)) + escapeByte(0x80 | (cp & 63));
  else
    token =
      escapeByte(0xf0 | (cp >> 18)) +
      escapeByte(0x80 | ((cp >> 12) & 63)) +
      escapeByte(0x80 | ((cp >> 6) & 63)) +
      escapeByte(0x80 | (cp & 63));
  return { token, width };
}

/**
 * Encodes `input` starting at the beginning of a line. `open`: more pieces follow on the same
 * decoded line — the piece then ends with a soft break (unless it ended at a line start) and its
 * trailing whitespace stays literal (it is not at the end of an encoded line).
 * One pass, no allocation per character (it runs for every recipient's values): ASCII is handled
 * inline, other characters through encodeChar.
 */
export function encodeQp(input: string, options: { open?: boolean } = {}): string {
  let out = '';
  let line = '';
  for (let i = 0; i < input.length; ) {
    const c = input.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && input.charCodeAt(i + 1) === 0x0a)) {
      out += closeLine(line);
      out += '\r\n';
      line = '';
      i += c === 0x0d ? 2 : 1;
      continue;
    }
    if (c < 0x80) {
      // printable ASCII except '=', plus space and tab, stay literal
      const literal = (c >= 0x21 && c <= 0x7e && c !== 0x3d) || c === 0x20 || c === 0x09;
      const width = literal ? 1 : 3;
      if (line.length + width > MAX) {
        out += line;
        out += '=\r\n';
        line = '';
      }
      line += literal ? input[i] : escapeByte(c);
      i += 1;
      continue;
    }
    const { token, width } = encodeChar(input, i);
    // Escapes of a multi-byte character may be split across soft breaks (decoders join the bytes),
    // but a single `=XX` never is.
    for (let k = 0; k < token.length; k += 3) {
      if (line.length + 3 > MAX) {
        out += line;
        out += '=\r\n';
        line = '';
      }
      line += token.slice(k, k + 3);
    }
    i += width;
  }
  if (options.open) {
    if (line.length > 0) out += `${line}=\r\n`;
    return out;
  }
  return out + closeLine(line);
}

/**
 * A line before a hard break (or the part's end): a space or tab that would end it is escaped (a
 * decoder strips trailing whitespace), with a soft break first if the escape does not fit.
 */
function closeLine(line: string): string {
  const last = line.charCodeAt(line.length - 1);
  if (last !== 0x20 && last !== 0x09) return line;
  const rest = line.slice(0, -1);
  return rest.length + 3 > MAX ? `${rest}=\r\n${escapeByte(last)}` : rest + escapeByte(last);
}
