/**
 * Placeholders and markup as labelled chips: a text block's `Hello{{#if name}} {{name}}{{/if}},` is
 * shown as `Hello [if First name, if known:] [First name, if known] [end],` — the words editable, the
 * template code in non-editable chips that keep their exact source text. Serialising gives back the
 * source byte for byte (chips write their `data-raw`, text nodes their text), so an edit of the words
 * is a splice of just those characters.
 */
export type VarInfo = { name: string; label: string };
type Token = { raw: string; chip?: { label: string; cls: string } };

const known: Record<string, string> = {
  name: 'First name, if known',
  productName: 'Product name',
  productUrl: 'Product link',
  imageUrl: 'Product image',
  unsubscribeUrl: 'Unsubscribe link',
  shopName: 'Shop name',
  shopUrl: 'Shop link',
  quantity: 'Units available',
  restockedAt: 'Restock date',
  eta: 'Expected date',
  newEta: 'New expected date',
  locale: 'Language',
};

/** A person's name for a variable: the known ones, else the first clause of its description. */
export function variableLabel(name: string, description?: string): string {
  if (known[name]) return known[name];
  const first = description?.split(/[(;,.]/)[0]?.trim();
  if (first && first.length <= 40) return first;
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

const entities: Record<string, string> = {
  nbsp: '\u00a0',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  euro: '€',
  pound: '£',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  middot: '·',
};

/** `&euro;` → `€` (shown as the character; the source keeps the entity). */
function entityChar(body: string): string | undefined {
  if (body[0] !== '#') return entities[body];
  const code =
    body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
  return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : undefined;
}

const tagNames: Record<string, string> = {
  strong: 'bold',
  b: 'bold',
  em: 'italic',
  i: 'italic',
  u: 'underline',
  a: 'link',
  span: 'style',
  br: 'line break',
};

function mustacheChip(inner: string, label: (n: string) => string): { label: string; cls: string } {
  const body = inner.replace(/^\{|\}$/g, '').trim();
  if (body.startsWith('!')) return { label: 'note', cls: 'chip code' };
  const words = body.split(/\s+/);
  const head = words[0] ?? '';
  if (head.startsWith('#')) {
    const helper = head.slice(1);
    const what = words.slice(1).map(label).join(' ');
    const verb = helper === 'if' ? 'if' : helper === 'unless' ? 'unless' : helper === 'each' ? 'for each' : helper;
    return { label: `${verb} ${what}:`, cls: 'chip block' };
  }
  if (head.startsWith('/')) return { label: 'end', cls: 'chip block' };
  if (head === 'else') return { label: 'otherwise', cls: 'chip block' };
  if (head === 'formatDate') return { label: label(words[1] ?? 'date'), cls: 'chip var' };
  return { label: label(head), cls: 'chip var' };
}

/** Splits a field's raw text into words and chips. One pass. */
function tokenize(raw: string, label: (n: string) => string): Token[] {
  const out: Token[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ raw: text });
    text = '';
  };
  let i = 0;
  while (i < raw.length) {
    if (raw.startsWith('{{', i)) {
      const end = raw.indexOf('}}', i + 2);
      if (end < 0) break;
      const stop = end + (raw[end + 2] === '}' ? 3 : 2);
      flush();
      out.push({ raw: raw.slice(i, stop), chip: mustacheChip(raw.slice(i + 2, stop - 2), label) });
      i = stop;
    } else if (raw[i] === '<' && /[a-zA-Z/!]/.test(raw[i + 1] ?? '')) {
      const end = raw.indexOf('>', i + 1);
      if (end < 0) break;
      flush();
      const tag = raw.slice(i, end + 1);
      const name = /^<\/?([a-zA-Z0-9]+)/.exec(tag)?.[1]?.toLowerCase() ?? '';
      const closing = tag.startsWith('</');
      if (name === 'p' || name === 'div')
        out.push({ raw: tag, chip: { label: '', cls: closing ? 'chip para' : 'chip hidden' } });
      else if (name === 'br') out.push({ raw: tag, chip: { label: '↵', cls: 'chip para' } });
      else
        out.push({ raw: tag, chip: { label: `${closing ? 'end ' : ''}${tagNames[name] ?? name}`, cls: 'chip code' } });
      i = end + 1;
    } else if (raw[i] === '&' && /^&[#a-zA-Z0-9]{1,10};/.test(raw.slice(i, i + 12))) {
      const end = raw.indexOf(';', i);
      const ch = entityChar(raw.slice(i + 1, end));
      if (ch === undefined) {
        text += raw[i];
        i++;
        continue;
      }
      flush();
      out.push({ raw: raw.slice(i, end + 1), chip: { label: ch === '\u00a0' ? ' ' : ch, cls: 'chip ent' } });
      i = end + 1;
    } else if (raw[i] === '\n' || (raw[i] === '\r' && raw[i + 1] === '\n')) {
      // Source indentation (a line break and the spaces after it) is layout of the file, not words.
      let j = i;
      while (j < raw.length && /\s/.test(raw[j] ?? '')) j++;
      flush();
      out.push({ raw: raw.slice(i, j), chip: { label: ' ', cls: 'chip ws' } });
      i = j;
    } else {
      text += raw[i];
      i++;
    }
  }
  text += raw.slice(i);
  flush();
  return out;
}

export function chipElement(raw: string, chip: { label: string; cls: string }): HTMLElement {
  const el = document.createElement('span');
  el.className = chip.cls;
  el.contentEditable = 'false';
  el.dataset.raw = raw;
  el.textContent = chip.label;
  if (chip.cls.includes('var')) el.title = raw;
  return el;
}

/** Fills a contenteditable host with the tokens of `raw`. */
export function fillChips(host: HTMLElement, raw: string, label: (n: string) => string): void {
  host.replaceChildren(
    ...tokenize(raw, label).map((t) => (t.chip ? chipElement(t.raw, t.chip) : document.createTextNode(t.raw))),
  );
}

/** The source text of a chip field: text as typed, chips as their raw source. */
export function serializeChips(host: Node): string {
  let out = '';
  for (const node of host.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) out += node.nodeValue ?? '';
    else if (node instanceof HTMLElement && node.dataset.raw !== undefined) out += node.dataset.raw;
    else if (node instanceof HTMLBRElement) out += '\n';
    else out += serializeChips(node);
  }
  return out;
}
