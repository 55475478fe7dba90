import { Parser } from 'htmlparser2';

/**
 * A position-keeping read of an MJML source: every element with the exact character ranges of its
 * start tag, its attributes (value ranges without the quotes, and the whole `name="value"` with the
 * whitespace before it) and — for mjml's "ending tags" whose content is raw HTML (mj-text, mj-button,
 * …) — its content. Tokenising is htmlparser2's (linear, never backtracks; `>` on its own line, CRLF,
 * comments and `</mj-text\n>` are ordinary input to it); the attribute ranges come from one linear
 * pass over each start tag. Pure (no Node APIs): the console's browser bundle uses it too.
 */
type ScannedAttr = {
  name: string;
  /** The raw value as written (entities not decoded). */
  raw: string;
  /** Range of the raw value, quotes excluded. */
  from: number;
  to: number;
  /** Range of ` name="value"` including the whitespace before the name (what removing it deletes). */
  spanFrom: number;
  spanTo: number;
  quote: '"' | "'" | '';
};

export type ScannedElement = {
  name: string;
  /** Index of `<` of the start tag and of its closing `>`. */
  start: number;
  openEnd: number;
  selfClosing: boolean;
  attrs: Map<string, ScannedAttr>;
  /** Where a new attribute goes: right after the last attribute (or the tag name), before any line break. */
  insertAt: number;
  /** Raw content range of an ending tag (undefined when self-closed or closed implicitly). */
  contentFrom?: number;
  contentTo?: number;
  /** Element nesting: mj-head / mj-body / mj-attributes ancestry as names, outermost first. */
  ancestors: readonly string[];
  /** Text of an HTML comment that ends right before this tag (only whitespace between). */
  comment?: string;
  /** True when the element sits inside another's raw content (an `<img>` inside an mj-text). */
  inRaw: boolean;
};

/** mjml's "ending tags": their content is HTML that mjml copies through instead of parsing. */
const ENDING_TAGS = new Set([
  'mj-text',
  'mj-button',
  'mj-navbar-link',
  'mj-social-element',
  'mj-raw',
  'mj-table',
  'mj-accordion-title',
  'mj-accordion-text',
  'mj-title',
  'mj-preview',
  'mj-style',
]);

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12;

/** Attributes of the start tag `source[start..openEnd]`, one linear pass. */
function scanAttrs(
  source: string,
  start: number,
  openEnd: number,
): { attrs: Map<string, ScannedAttr>; insertAt: number } {
  const attrs = new Map<string, ScannedAttr>();
  let i = start + 1;
  while (i < openEnd && !isSpace(source.charCodeAt(i)) && source[i] !== '/' && source[i] !== '>') i++;
  let insertAt = i;
  while (i < openEnd) {
    const wsStart = i;
    while (i < openEnd && isSpace(source.charCodeAt(i))) i++;
    if (i >= openEnd || source[i] === '/' || source[i] === '>') break;
    const nameFrom = i;
    while (i < openEnd && !isSpace(source.charCodeAt(i)) && source[i] !== '=' && source[i] !== '>' && source[i] !== '/')
      i++;
    if (i === nameFrom) {
      i++; // a stray character: skip it rather than loop
      continue;
    }
    const name = source.slice(nameFrom, i).toLowerCase();
    let j = i;
    while (j < openEnd && isSpace(source.charCodeAt(j))) j++;
    let attr: ScannedAttr;
    if (source[j] === '=') {
      j++;
      while (j < openEnd && isSpace(source.charCodeAt(j))) j++;
      const q = source[j];
      if (q === '"' || q === "'") {
        let close = source.indexOf(q, j + 1);
        if (close < 0 || close > openEnd) close = openEnd;
        attr = {
          name,
          raw: source.slice(j + 1, close),
          from: j + 1,
          to: close,
          spanFrom: wsStart,
          spanTo: Math.min(close + 1, openEnd),
          quote: q,
        };
        i = close + 1;
      } else {
        let k = j;
        while (k < openEnd && !isSpace(source.charCodeAt(k)) && source[k] !== '>') k++;
        attr = { name, raw: source.slice(j, k), from: j, to: k, spanFrom: wsStart, spanTo: k, quote: '' };
        i = k;
      }
    } else {
      attr = { name, raw: '', from: i, to: i, spanFrom: wsStart, spanTo: i, quote: '' };
    }
    if (!attrs.has(name)) attrs.set(name, attr);
    insertAt = attr.spanTo;
  }
  return { attrs, insertAt };
}

/** Every element of an MJML document in source order, with positions. Linear in the input. */
export function scanMjml(source: string): ScannedElement[] {
  const out: ScannedElement[] = [];
  const stack: ScannedElement[] = [];
  const names: string[] = [];
  let rawDepth = 0;
  let lastComment: { text: string; end: number } | undefined;
  const parser = new Parser(
    {
      onopentag(name) {
        const start = parser.startIndex;
        const openEnd = parser.endIndex;
        const selfClosing = source[openEnd - 1] === '/';
        const { attrs, insertAt } = scanAttrs(source, start, openEnd);
        const between = lastComment ? source.slice(lastComment.end + 1, start) : '';
        const el: ScannedElement = {
          name,
          start,
          openEnd,
          selfClosing,
          attrs,
          insertAt,
          ancestors: [...names],
          inRaw: rawDepth > 0,
          ...(lastComment && between.trim() === '' ? { comment: lastComment.text } : {}),
        };
        if (!selfClosing && ENDING_TAGS.has(name) && rawDepth === 0) el.contentFrom = openEnd + 1;
        if (ENDING_TAGS.has(name) || rawDepth > 0) rawDepth++;
        out.push(el);
        stack.push(el);
        names.push(name);
        lastComment = undefined;
      },
      onclosetag(name, isImplied) {
        const el = stack.pop();
        names.pop();
        if (rawDepth > 0) rawDepth--;
        if (el && el.name === name && el.contentFrom !== undefined) {
          if (isImplied || el.selfClosing) delete el.contentFrom;
          else el.contentTo = parser.startIndex;
        }
      },
      oncomment(text) {
        lastComment = { text, end: parser.endIndex };
      },
    },
    { xmlMode: true, recognizeSelfClosing: true, decodeEntities: false },
  );
  parser.end(source);
  return out;
}

/** Maps offsets to 1-based line numbers; built once per source (binary search per lookup). */
export function lineIndex(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

const named: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: '\u00a0' };

/**
 * Decodes the entities of an attribute value, keeping for every decoded character the raw offset it
 * came from (`at[i]`; `at[decoded.length]` = raw length), so an edit of the decoded text maps back
 * to exactly the raw characters it touches.
 */
export function decodeAttr(raw: string): { text: string; at: number[] } {
  let text = '';
  const at: number[] = [];
  let i = 0;
  while (i < raw.length) {
    if (raw[i] === '&') {
      const semi = raw.indexOf(';', i + 1);
      if (semi > i + 1 && semi - i <= 10) {
        const body = raw.slice(i + 1, semi);
        let ch: string | undefined = named[body];
        if (!ch && body[0] === '#') {
          const code =
            body[1] === 'x' || body[1] === 'X'
              ? Number.parseInt(body.slice(2), 16)
              : Number.parseInt(body.slice(1), 10);
          if (Number.isFinite(code) && code > 0 && code < 0x110000) ch = String.fromCodePoint(code);
        }
        if (ch) {
          for (let k = 0; k < ch.length; k++) at.push(i);
          text += ch;
          i = semi + 1;
          continue;
        }
      }
    }
    at.push(i);
    text += raw[i];
    i++;
  }
  at.push(raw.length);
  return { text, at };
}
