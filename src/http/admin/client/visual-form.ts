import { changeFor, findRegions, type Change, type Field } from './mjml-regions.js';

/**
 * Renders the visual mode: one fieldset per editable region, every input writing its value back into
 * the MJML source as a single splice (so undo, the lint markers and the preview all follow the source).
 */
export function renderVisualForm(host: HTMLElement, source: string, apply: (change: Change) => void): void {
  const regions = findRegions(source);
  const intro = document.createElement('p');
  intro.className = 'muted small';
  intro.textContent =
    'Edit the words, links, image and colours here; the MJML source changes with you. Text blocks may contain simple HTML (<strong>, <a>) and {{variables}}.';
  const fieldsets = regions.map((region) => {
    const fs = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = region.label;
    fs.append(legend);
    for (const field of region.fields) fs.append(fieldRow(region.id, field, () => source, apply, (s) => (source = s)));
    return fs;
  });
  host.replaceChildren(intro, ...fieldsets);
  if (regions.length === 0) host.append(Object.assign(document.createElement('p'), { textContent: 'No editable blocks were found in this template.' }));
}

function fieldRow(regionId: string, field: Field, current: () => string, apply: (c: Change) => void, update: (s: string) => void): HTMLElement {
  const row = document.createElement('div');
  row.className = 'field';
  const id = `v-${regionId}-${field.name}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = field.label;
  let input: HTMLInputElement | HTMLTextAreaElement;
  if (field.kind === 'html') {
    input = document.createElement('textarea');
    input.rows = Math.min(8, Math.max(2, Math.ceil(field.value.length / 60) + 1));
  } else {
    input = document.createElement('input');
    input.type = 'text';
    if (field.kind === 'color') input.placeholder = '#111827';
  }
  input.id = id;
  input.value = field.value;
  input.dataset.region = regionId;
  input.dataset.field = field.name;
  input.addEventListener('input', () => {
    const change = changeFor(current(), regionId, field.name, input.value);
    if (!change) return;
    const next = current().slice(0, change.from) + change.insert + current().slice(change.to);
    update(next);
    apply(change);
  });
  row.append(label, input);
  if (field.kind === 'color') {
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.setAttribute('aria-hidden', 'true');
    const paint = () => (swatch.style.background = /^#[0-9a-f]{3,8}$/i.test(input.value) ? input.value : 'transparent');
    paint();
    input.addEventListener('input', paint);
    const wrap = document.createElement('div');
    wrap.className = 'inline';
    input.classList.add('grow');
    wrap.append(swatch, input);
    row.replaceChildren(label, wrap);
  }
  return row;
}
