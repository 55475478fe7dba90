import { chipElement, fillChips, serializeChips, type VarInfo } from './chips.js';
import { changeFor, findRegions, plainText, type Change, type Field, type Region } from './mjml-regions.js';

/**
 * Renders the visual mode: one fieldset per block of the email, named after its content, every field
 * writing its value back into the MJML source as a single splice (so undo, the lint markers and the
 * preview all follow the source). Words are edited as text; placeholders and markup are chips.
 */
export function renderVisualForm(
  host: HTMLElement,
  source: string,
  apply: (change: Change) => void,
  vars: VarInfo[],
): void {
  const labels = new Map(vars.map((v) => [v.name, v.label]));
  const label = (n: string) => labels.get(n) ?? n;
  const regions = findRegions(source, label);
  const intro = document.createElement('p');
  intro.className = 'muted small';
  intro.textContent =
    'Change the words, links, images and colours; grey chips are placeholders filled in for each customer. Click a part of the preview to jump to its field.';
  let current = source;
  const state = { get: () => current, set: (s: string) => (current = s) };
  const fieldsets = regions.map((region) => {
    const fs = document.createElement('fieldset');
    fs.id = `region-${region.id}`;
    fs.dataset.region = region.id;
    const legend = document.createElement('legend');
    legend.textContent = region.label;
    fs.append(legend);
    for (const field of region.fields) fs.append(fieldRow(region.id, field, state, apply, vars, label));
    return fs;
  });
  host.replaceChildren(intro, ...fieldsets);
  if (regions.length === 0)
    host.append(
      Object.assign(document.createElement('p'), { textContent: 'No editable blocks were found in this template.' }),
    );
}

type State = { get(): string; set(s: string): void };

function commit(regionId: string, field: string, value: string, state: State, apply: (c: Change) => void): void {
  const change = changeFor(state.get(), regionId, field, value);
  if (!change) return;
  state.set(state.get().slice(0, change.from) + change.insert + state.get().slice(change.to));
  apply(change);
}

function fieldRow(
  regionId: string,
  field: Field,
  state: State,
  apply: (c: Change) => void,
  vars: VarInfo[],
  label: (n: string) => string,
): HTMLElement {
  const row = document.createElement('div');
  row.className = 'field';
  const id = `v-${regionId}-${field.name}`;
  const lab = document.createElement('label');
  lab.htmlFor = id;
  lab.id = `${id}-label`;
  lab.textContent = field.label;
  row.append(lab);
  const chipped = field.name === 'content' || field.value.includes('{{');
  if (chipped) {
    const box = document.createElement('div');
    box.id = id;
    box.className = `chip-field${field.kind === 'html' ? ' multi' : ''}`;
    box.contentEditable = 'plaintext-only';
    box.setAttribute('role', 'textbox');
    box.setAttribute('aria-labelledby', lab.id);
    if (field.kind === 'html') box.setAttribute('aria-multiline', 'true');
    box.dataset.region = regionId;
    box.dataset.field = field.name;
    fillChips(box, field.value, label);
    box.addEventListener('input', () => commit(regionId, field.name, serializeChips(box), state, apply));
    lab.addEventListener('click', () => box.focus());
    row.append(box, picker(box, vars));
    return row;
  }
  const input = document.createElement('input');
  // Not type=url: a relative link under mj-navbar's base-url is valid MJML, and the form must still submit.
  input.type = 'text';
  if (field.kind === 'url') input.inputMode = 'url';
  input.id = id;
  input.value = field.value;
  input.dataset.region = regionId;
  input.dataset.field = field.name;
  if (field.optional) input.placeholder = 'optional — empty removes it';
  input.addEventListener('input', () => commit(regionId, field.name, input.value, state, apply));
  if (field.kind !== 'color') {
    row.append(input);
    return row;
  }
  // The swatch is a colour picker showing the colour itself; the text box takes any CSS colour.
  const swatch = document.createElement('input');
  swatch.type = 'color';
  swatch.className = 'swatch';
  swatch.setAttribute('aria-label', `${field.label}: pick`);
  const paint = () => {
    const hex = toHex(input.value);
    swatch.value = hex ?? '#ffffff';
    swatch.classList.toggle('unset', !hex);
  };
  paint();
  input.addEventListener('input', paint);
  swatch.addEventListener('input', () => {
    input.value = swatch.value;
    commit(regionId, field.name, input.value, state, apply);
  });
  const wrap = document.createElement('div');
  wrap.className = 'inline';
  input.classList.add('grow');
  wrap.append(swatch, input);
  row.append(wrap);
  return row;
}

/** `#abc` / `#aabbcc` (what `<input type=color>` takes), or undefined for names, rgb() and placeholders. */
function toHex(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(v)) return v;
  if (/^#[0-9a-f]{3}$/.test(v)) return `#${[...v.slice(1)].map((c) => c + c).join('')}`;
  return undefined;
}

/** "Insert a placeholder" for one chip field: at the caret when it is in the field, else at the end. */
function picker(box: HTMLElement, vars: VarInfo[]): HTMLElement {
  const select = document.createElement('select');
  select.className = 'chip-picker';
  select.setAttribute('aria-label', 'Insert a placeholder');
  select.append(Object.assign(document.createElement('option'), { value: '', textContent: '+ Insert a placeholder…' }));
  for (const v of vars)
    select.append(Object.assign(document.createElement('option'), { value: v.name, textContent: v.label }));
  select.addEventListener('change', () => {
    const name = select.value;
    select.value = '';
    if (!name) return;
    const chip = chipElement(`{{${name}}}`, {
      label: vars.find((v) => v.name === name)?.label ?? name,
      cls: 'chip var',
    });
    const sel = getSelection();
    const range = sel && sel.rangeCount > 0 ? sel.getRangeAt(0) : null;
    if (range && box.contains(range.startContainer)) {
      range.deleteContents();
      range.insertNode(chip);
    } else {
      box.append(chip);
    }
    box.dispatchEvent(new Event('input'));
    box.focus();
  });
  return select;
}

/**
 * The region a click in the preview means: an image by its URL (else its position among the
 * images), anything else by the longest literal run of words it shares with a block (placeholders
 * are filled with sample data in the preview, so only the words around them can match).
 */
export function regionForPreviewClick(target: Element, regions: Region[], doc: Document): Region | undefined {
  const img = target.closest('img');
  if (img) {
    const src = img.getAttribute('src') ?? '';
    const images = regions.filter((r) => r.kind === 'image' || r.kind === 'carousel-image');
    const bySrc = images.find((r) =>
      r.fields.some((f) => f.name === 'src' && f.value !== '' && (f.value === src || src.endsWith(f.value))),
    );
    if (bySrc) return bySrc;
    const all = [...doc.querySelectorAll('img')].filter((i) => !i.closest('.mj-carousel-thumbnail'));
    return images[all.indexOf(img)];
  }
  const block = target.closest('a, td, div') ?? target;
  const text = (block.textContent ?? '').replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  let best: { region: Region; score: number } | undefined;
  for (const region of regions) {
    const content = region.fields.find((f) => f.name === 'content');
    if (!content) continue;
    for (const piece of plainText(content.value, () => '\u0000').split('\u0000')) {
      const words = piece.trim();
      if (words.length >= 3 && words.length > (best?.score ?? 0) && text.includes(words))
        best = { region, score: words.length };
    }
  }
  return best?.region;
}
