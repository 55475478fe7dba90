/**
 * The visual mode's model of an MJML source: the editable regions (text blocks, buttons, images,
 * carousel images, menu links, social links, hero and section colours) with the exact character ranges
 * of their values, read by a real parser (`mail/mjml-scan.ts`). Editing a field splices only the
 * characters that changed, so everything else — CRLF line ends, `>` on its own line, comments,
 * mj-attributes, mj-raw, mj-include, the whitespace around a label, the escaping of untouched
 * characters — stays byte for byte: the source remains the single truth and the form is a lens on it.
 *
 * A region is labelled by a comment right before it (`<!-- visual: Headline -->`), else after its
 * content ("Button: Shop now", "Image: hero.jpg"). Pure string code (no DOM), shared by the browser
 * bundle and the unit tests.
 */
import { decodeAttr, lineIndex, scanMjml, type ScannedElement } from '../../../mail/mjml-scan.js';

type FieldKind = 'html' | 'text' | 'url' | 'color';
export type Field = {
  name: string;
  label: string;
  kind: FieldKind;
  /** What the person edits: the trimmed content, or the attribute value with entities decoded. */
  value: string;
  from: number;
  to: number;
  /** Set when the attribute is missing: where it would be inserted. */
  insertAt?: number;
  /** Clearing an optional attribute removes it (an empty `href=""` would block publishing). */
  optional?: boolean;
};
type RegionKind =
  | 'body'
  | 'section'
  | 'column'
  | 'hero'
  | 'text'
  | 'button'
  | 'image'
  | 'carousel-image'
  | 'navbar-link'
  | 'social';
export type Region = {
  id: string;
  kind: RegionKind;
  label: string;
  fields: Field[];
  line: number;
  from: number;
  to: number;
};
export type Change = { from: number; to: number; insert: string };

const kinds: Record<string, RegionKind> = {
  'mj-body': 'body',
  'mj-section': 'section',
  'mj-wrapper': 'section',
  'mj-column': 'column',
  'mj-hero': 'hero',
  'mj-text': 'text',
  'mj-button': 'button',
  'mj-image': 'image',
  'mj-carousel-image': 'carousel-image',
  'mj-navbar-link': 'navbar-link',
  'mj-social-element': 'social',
};

type Spec = { attr: string; label: string; kind: FieldKind; optional?: boolean; onlyIfPresent?: boolean };
const specs: Record<RegionKind, { content?: { label: string; kind: FieldKind }; attrs: Spec[] }> = {
  body: { attrs: [{ attr: 'background-color', label: 'Background colour', kind: 'color', optional: true }] },
  section: {
    attrs: [
      { attr: 'background-color', label: 'Background colour', kind: 'color', optional: true },
      { attr: 'background-url', label: 'Background image', kind: 'url', optional: true, onlyIfPresent: true },
    ],
  },
  column: {
    attrs: [
      { attr: 'background-color', label: 'Background colour', kind: 'color', optional: true, onlyIfPresent: true },
    ],
  },
  hero: {
    attrs: [
      { attr: 'background-url', label: 'Background image', kind: 'url', optional: true },
      { attr: 'background-color', label: 'Background colour', kind: 'color', optional: true },
    ],
  },
  text: { content: { label: 'Text', kind: 'html' }, attrs: [] },
  button: {
    content: { label: 'Button label', kind: 'text' },
    attrs: [
      { attr: 'href', label: 'Button link', kind: 'url' },
      { attr: 'background-color', label: 'Button colour', kind: 'color', optional: true },
      { attr: 'color', label: 'Label colour', kind: 'color', optional: true },
    ],
  },
  image: {
    attrs: [
      { attr: 'src', label: 'Image URL', kind: 'url' },
      { attr: 'alt', label: 'Alternative text (empty: decorative)', kind: 'text' },
      { attr: 'href', label: 'Link when clicked', kind: 'url', optional: true },
    ],
  },
  'carousel-image': {
    attrs: [
      { attr: 'src', label: 'Image URL', kind: 'url' },
      { attr: 'alt', label: 'Alternative text (empty: decorative)', kind: 'text' },
      { attr: 'href', label: 'Link when clicked', kind: 'url', optional: true },
    ],
  },
  'navbar-link': {
    content: { label: 'Link text', kind: 'text' },
    attrs: [{ attr: 'href', label: 'Link', kind: 'url' }],
  },
  social: { content: { label: 'Text', kind: 'text' }, attrs: [{ attr: 'href', label: 'Link', kind: 'url' }] },
};

const titles: Record<RegionKind, string> = {
  body: 'Email background',
  section: 'Section',
  column: 'Column',
  hero: 'Hero',
  text: 'Text',
  button: 'Button',
  image: 'Image',
  'carousel-image': 'Carousel image',
  'navbar-link': 'Menu link',
  social: 'Social link',
};

/** Readable words of an HTML/Handlebars snippet: tags and block helpers dropped, `{{x}}` → label. One pass. */
export function plainText(raw: string, label: (name: string) => string = (n) => n): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    if (raw.startsWith('{{', i)) {
      const end = raw.indexOf('}}', i + 2);
      if (end < 0) break;
      const inner = raw
        .slice(i + 2, end)
        .replace(/^\{|\}$/g, '')
        .trim();
      if (inner === 'else') out += ' / ';
      else if (/^[\w.]+$/.test(inner) && inner !== 'this') out += label(inner);
      i = end + (raw[end + 2] === '}' ? 3 : 2);
    } else if (raw[i] === '<') {
      const end = raw.indexOf('>', i + 1);
      if (end < 0) break;
      out += ' ';
      i = end + 1;
    } else {
      out += raw[i];
      i++;
    }
  }
  return out
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

const short = (s: string, n = 40) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);
const fileName = (url: string) => {
  const path = url.split(/[?#]/)[0] ?? '';
  return path.slice(path.lastIndexOf('/') + 1);
};

function trimmedRange(source: string, from: number, to: number): [number, number] {
  let a = from;
  let b = to;
  while (a < b && /\s/.test(source[a] ?? '')) a++;
  while (b > a && /\s/.test(source[b - 1] ?? '')) b--;
  return [a, b];
}

function labelOf(
  kind: RegionKind,
  el: ScannedElement,
  fields: Field[],
  n: number,
  varLabel?: (name: string) => string,
): string {
  const visual = /^\s*visual:\s*(.+?)\s*$/.exec(el.comment ?? '')?.[1];
  if (visual) return visual;
  const field = (name: string) => fields.find((f) => f.name === name)?.value ?? '';
  const title = titles[kind];
  let what = '';
  if (kind === 'image' || kind === 'carousel-image') {
    const src = field('src');
    what = src.includes('{{')
      ? plainText(field('alt'), varLabel) || plainText(src, varLabel)
      : fileName(src) || field('alt');
  } else if (kind === 'social') {
    what = el.attrs.get('name')?.raw ?? plainText(field('content'), varLabel);
  } else if (kind === 'section' || kind === 'column' || kind === 'hero' || kind === 'body') {
    return kind === 'body' ? title : `${title} ${n}`;
  } else {
    what = plainText(field('content'), varLabel);
  }
  return what ? `${title}: ${short(what)}` : `${title} ${n}`;
}

/**
 * Finds the editable regions of an MJML document, in source order: elements inside `<mj-body>` only
 * (an `mj-attributes` default is no block), never markup inside another block's raw content.
 * `varLabel` names placeholders in labels ("Product name" for `{{productName}}`).
 */
export function findRegions(source: string, varLabel?: (name: string) => string): Region[] {
  const regions: Region[] = [];
  const lineAt = lineIndex(source);
  const counts = new Map<RegionKind, number>();
  for (const el of scanMjml(source)) {
    const kind = kinds[el.name];
    if (!kind || el.inRaw) continue;
    if (kind !== 'body' && !el.ancestors.includes('mj-body')) continue;
    const spec = specs[kind];
    const fields: Field[] = [];
    if (spec.content) {
      if (el.contentFrom === undefined || el.contentTo === undefined) continue;
      const [from, to] = trimmedRange(source, el.contentFrom, el.contentTo);
      fields.push({
        name: 'content',
        label: spec.content.label,
        kind: spec.content.kind,
        value: source.slice(from, to),
        from,
        to,
      });
    }
    for (const s of spec.attrs) {
      const a = el.attrs.get(s.attr);
      if (!a && s.onlyIfPresent) continue;
      const base = { name: s.attr, label: s.label, kind: s.kind, ...(s.optional ? { optional: true } : {}) };
      fields.push(
        a
          ? { ...base, value: decodeAttr(a.raw).text, from: a.from, to: a.to }
          : { ...base, value: '', from: el.insertAt, to: el.insertAt, insertAt: el.insertAt },
      );
    }
    if (fields.length === 0) continue;
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    const end = el.contentTo !== undefined ? el.contentTo : el.openEnd + 1;
    regions.push({
      id: kind === 'body' ? 'body' : `${kind}-${n}`,
      kind,
      label: labelOf(kind, el, fields, n, varLabel),
      fields,
      line: lineAt(el.start),
      from: el.start,
      to: end,
    });
  }
  return regions;
}

/** Common prefix and suffix of two strings (the suffix never overlaps the prefix). */
function diffRange(a: string, b: string): { pre: number; suf: number } {
  let pre = 0;
  const max = Math.min(a.length, b.length);
  while (pre < max && a.charCodeAt(pre) === b.charCodeAt(pre)) pre++;
  let suf = 0;
  while (suf < max - pre && a.charCodeAt(a.length - 1 - suf) === b.charCodeAt(b.length - 1 - suf)) suf++;
  return { pre, suf };
}

/** Escapes what a person typed for an attribute: `&` and the attribute's own quote. */
const escapeAttr = (v: string, quote: string = '"') => {
  const amp = v.replace(/&/g, '&amp;');
  return quote === "'" ? amp.replace(/'/g, '&#39;') : amp.replace(/"/g, '&quot;');
};

/**
 * The one splice that sets `field` of region `regionId` to `value` (found afresh in `source`): only
 * the characters that differ are replaced; a cleared optional attribute is removed with the
 * whitespace before it; a missing one is inserted after the last attribute. Null when nothing changes.
 */
export function changeFor(source: string, regionId: string, fieldName: string, value: string): Change | null {
  const region = findRegions(source).find((r) => r.id === regionId);
  const field = region?.fields.find((f) => f.name === fieldName);
  if (!region || !field) return null;
  if (field.name === 'content') {
    if (value === field.value) return null;
    const { pre, suf } = diffRange(field.value, value);
    return { from: field.from + pre, to: field.to - suf, insert: value.slice(pre, value.length - suf) };
  }
  if (field.insertAt !== undefined) {
    if (value === '') return null;
    return { from: field.insertAt, to: field.insertAt, insert: ` ${field.name}="${escapeAttr(value)}"` };
  }
  const el = scanMjml(source).find((e) => e.start === region.from);
  const attr = el?.attrs.get(field.name);
  if (!attr) return null;
  if (value === '' && field.optional) return { from: attr.spanFrom, to: attr.spanTo, insert: '' };
  const { text, at } = decodeAttr(attr.raw);
  if (value === text) return null;
  const { pre, suf } = diffRange(text, value);
  const from = attr.from + (at[pre] ?? attr.raw.length);
  const to = attr.from + (at[text.length - suf] ?? attr.raw.length);
  return { from, to, insert: escapeAttr(value.slice(pre, value.length - suf), attr.quote || '"') };
}

export function applyChange(source: string, change: Change): string {
  return source.slice(0, change.from) + change.insert + source.slice(change.to);
}
