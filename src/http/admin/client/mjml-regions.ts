/**
 * The visual mode's model of an MJML source: the editable regions (text blocks, buttons, images,
 * colours) with the exact character ranges of their values. Editing a field splices only that range,
 * so everything else — comments, whitespace, Handlebars blocks, partials already expanded — stays
 * byte for byte: the source remains the single truth and the form is just a lens on it.
 *
 * A region is labelled by a comment right before it (`<!-- visual: Headline -->`) or by its
 * `mj-class` / `css-class` (`headline`, `fine`); otherwise by kind and position. Pure string code (no DOM), shared by the
 * browser bundle and the unit tests.
 */
type FieldKind = 'html' | 'text' | 'url' | 'color';
export type Field = { name: string; label: string; kind: FieldKind; value: string; from: number; to: number; insertAt?: number };
export type Region = { id: string; kind: 'text' | 'button' | 'image' | 'body'; label: string; fields: Field[]; line: number };

const classLabels: Record<string, string> = { headline: 'Headline', intro: 'Introduction', fine: 'Fine print', footer: 'Footer' };

const attrRe = /([a-zA-Z-]+)\s*=\s*"([^"]*)"/g;

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/** Attributes of a start tag with their value ranges (absolute offsets). */
function attrsOf(source: string, tagStart: number, tagText: string) {
  const out = new Map<string, { value: string; from: number; to: number }>();
  for (const m of tagText.matchAll(attrRe)) {
    const name = m[1]?.toLowerCase() ?? '';
    const valueStart = tagStart + (m.index ?? 0) + m[0].length - 1 - (m[2]?.length ?? 0);
    out.set(name, { value: m[2] ?? '', from: valueStart, to: valueStart + (m[2]?.length ?? 0) });
  }
  return out;
}

function labelFor(source: string, tagStart: number, attrs: Map<string, { value: string }>, fallback: string): string {
  const before = source.slice(Math.max(0, tagStart - 200), tagStart);
  const comment = /<!--\s*visual:\s*([^>]*?)\s*-->\s*$/.exec(before);
  if (comment?.[1]) return comment[1];
  // Our templates name their blocks with mj-class (`headline`, `fine`); css-class works too.
  const classes = `${attrs.get('mj-class')?.value ?? ''} ${attrs.get('css-class')?.value ?? ''}`.split(/\s+/);
  for (const cls of classes) if (classLabels[cls]) return classLabels[cls];
  return fallback;
}

const unescapeAttr = (v: string) => v.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const escapeAttr = (v: string) => v.replace(/&(?![a-zA-Z#0-9]+;)/g, '&amp;').replace(/"/g, '&quot;');

/** Finds the editable regions of an MJML document, in source order. */
export function findRegions(source: string): Region[] {
  const regions: Region[] = [];
  const bodyStart = source.search(/<mj-body\b/);
  if (bodyStart < 0) return regions;
  const counts = { text: 0, button: 0, image: 0 };
  const tagRe = /<mj-(body|text|button|image)\b([^>]*?)(\/?)>/g;
  tagRe.lastIndex = bodyStart;
  for (let m = tagRe.exec(source); m; m = tagRe.exec(source)) {
    const kind = m[1] as Region['kind'];
    const start = m.index;
    const attrs = attrsOf(source, start, m[0]);
    const attrField = (name: string, label: string, fieldKind: FieldKind): Field => {
      const a = attrs.get(name);
      // A missing attribute is inserted just before the tag's closing `>` or `/>`.
      const insertAt = start + m![0].length - 1 - (m![3] ? 1 : 0);
      return a
        ? { name, label, kind: fieldKind, value: unescapeAttr(a.value), from: a.from, to: a.to }
        : { name, label, kind: fieldKind, value: '', from: insertAt, to: insertAt, insertAt };
    };
    const line = lineAt(source, start);
    if (kind === 'body') {
      regions.push({ id: 'body', kind, label: 'Email background', line, fields: [attrField('background-color', 'Background colour', 'color')] });
      continue;
    }
    if (kind === 'image') {
      counts.image++;
      regions.push({
        id: `image-${counts.image}`,
        kind,
        line,
        label: labelFor(source, start, attrs, `Image ${counts.image}`),
        fields: [attrField('src', 'Image URL', 'url'), attrField('alt', 'Alternative text', 'text'), attrField('href', 'Link URL', 'url')],
      });
      continue;
    }
    if (m[3]) continue; // a self-closed text/button has no content to edit
    const close = source.indexOf(`</mj-${kind}>`, tagRe.lastIndex);
    if (close < 0) continue;
    const content: Field = { name: 'content', label: 'Text', kind: kind === 'text' ? 'html' : 'text', value: source.slice(tagRe.lastIndex, close), from: tagRe.lastIndex, to: close };
    if (kind === 'text') {
      counts.text++;
      regions.push({ id: `text-${counts.text}`, kind, line, label: labelFor(source, start, attrs, `Text block ${counts.text}`), fields: [content] });
    } else {
      counts.button++;
      regions.push({
        id: `button-${counts.button}`,
        kind,
        line,
        label: labelFor(source, start, attrs, `Button ${counts.button}`),
        fields: [
          { ...content, label: 'Button label' },
          attrField('href', 'Button link', 'url'),
          attrField('background-color', 'Button colour', 'color'),
          attrField('color', 'Label colour', 'color'),
        ],
      });
    }
    tagRe.lastIndex = close;
  }
  return regions;
}

export type Change = { from: number; to: number; insert: string };

/** The one splice that sets `field` of region `regionId` to `value` (found afresh in `source`). */
export function changeFor(source: string, regionId: string, fieldName: string, value: string): Change | null {
  const field = findRegions(source)
    .find((r) => r.id === regionId)
    ?.fields.find((f) => f.name === fieldName);
  if (!field) return null;
  if (field.name === 'content') return { from: field.from, to: field.to, insert: value };
  const escaped = escapeAttr(value);
  if (field.insertAt !== undefined) return { from: field.insertAt, to: field.insertAt, insert: ` ${field.name}="${escaped}"` };
  return { from: field.from, to: field.to, insert: escaped };
}

export function applyChange(source: string, change: Change): string {
  return source.slice(0, change.from) + change.insert + source.slice(change.to);
}
