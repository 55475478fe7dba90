/**
 * Small upgrades for the console's server-rendered pages: sortable/searchable tables, JSON forms that
 * send the CSRF header (branding, erase), one-click actions with confirmation (remove a suppression,
 * roll back), and the branding colour swatch. Each is a no-op on pages without its markup.
 */
import { api, csrfToken, say } from './api.js';
import { pageCopyEditor } from './page-copy.js';
import { copyButtons, revealSecret } from './secrets.js';

const all = <T extends Element>(sel: string, root: ParentNode = document) => [...root.querySelectorAll<T>(sel)];

function sortableTables(): void {
  for (const table of all<HTMLTableElement>('table[data-sortable]')) {
    const headers = all<HTMLTableCellElement>('thead th', table);
    headers.forEach((th, col) => {
      const label = th.textContent ?? '';
      if (th.dataset.sort === 'none') return;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.textContent = label;
      th.replaceChildren(button);
      button.addEventListener('click', () => {
        const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        for (const h of headers) h.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', dir);
        const body = table.tBodies[0];
        if (!body) return;
        const rows = [...body.rows];
        const value = (r: HTMLTableRowElement) =>
          r.cells[col]?.dataset.value ?? r.cells[col]?.textContent?.trim() ?? '';
        const numeric = rows.every((r) => value(r) === '' || !Number.isNaN(Number(value(r))));
        rows.sort((a, b) => {
          const x = value(a);
          const y = value(b);
          const cmp = numeric ? Number(x || -Infinity) - Number(y || -Infinity) : x.localeCompare(y);
          return dir === 'ascending' ? cmp : -cmp;
        });
        body.append(...rows);
      });
    });
  }
  for (const input of all<HTMLInputElement>('input[data-filter-for]')) {
    const table = document.getElementById(input.dataset.filterFor ?? '');
    const count = document.getElementById(`${input.dataset.filterFor}-count`);
    input.addEventListener('input', () => {
      const q = input.value.trim().toLowerCase();
      let shown = 0;
      for (const row of all<HTMLTableRowElement>('tbody tr', table ?? document)) {
        const hit = !q || (row.textContent ?? '').toLowerCase().includes(q);
        row.hidden = !hit;
        if (hit) shown++;
      }
      if (count) count.textContent = `${shown} shown`;
    });
  }
}

/** `<form data-json="PUT /api/v1/admin/branding">`: sends its fields as JSON with the CSRF header. */
function jsonForms(root: ParentNode = document): void {
  for (const form of all<HTMLFormElement>('form[data-json]', root)) {
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const [method, path] = (form.dataset.json ?? '').split(' ') as [string, string];
      // The status beside the submit button (a field may have a live line of its own, like the contrast note).
      const out = form.querySelector('.actions [role=status]') ?? form.querySelector('[role=status]');
      const confirmField = form.querySelector<HTMLInputElement>('[data-must-equal]');
      if (confirmField && confirmField.value.trim() !== confirmField.dataset.mustEqual) {
        say(out, `Type ${confirmField.dataset.mustEqual} exactly to confirm.`, 'error');
        confirmField.focus();
        return;
      }
      const body: Record<string, string | number | boolean | null> = {};
      // data-omit-empty: an empty optional field is left out (e.g. no password: the service generates one).
      const omitEmpty = form.dataset.omitEmpty !== undefined;
      for (const [k, v] of new FormData(form))
        if (typeof v === 'string' && !k.startsWith('_') && !(omitEmpty && v === '')) body[k] = v;
      // Typed fields (the settings form): numbers as numbers, a checkbox as true/false even when unchecked.
      for (const el of all<HTMLInputElement>('input[data-type]', form)) {
        const v = el.value.trim();
        if (el.dataset.type === 'boolean') body[el.name] = el.checked;
        else if (el.dataset.type === 'number-or-auto' && v.toLowerCase() === 'auto') body[el.name] = 'auto';
        else body[el.name] = v === '' ? null : Number(v);
      }
      say(out, 'Saving…');
      const answer = await api<unknown>(method, path, body);
      for (const el of all<HTMLElement>('[aria-invalid]', form)) el.removeAttribute('aria-invalid');
      if (!answer.ok) return say(out, withFieldProblems(form, answer.error.message, answer.error.details), 'error');
      say(out, form.dataset.done ?? 'Saved.', 'ok');
      if (revealSecret(form, answer.data, String(body[form.dataset.revealLabel ?? ''] ?? ''))) {
        form.reset();
        return refreshRegion(form.dataset.refresh);
      }
      if (form.dataset.reload !== undefined || form.dataset.reveal !== undefined) location.reload();
    });
  }
}

/** A 400's `details` as "Label: message" after the message, each named field marked invalid. */
function withFieldProblems(form: HTMLFormElement, message: string, details: unknown): string {
  if (!Array.isArray(details)) return message;
  const parts: string[] = [];
  for (const d of details as { path?: string; message?: string }[]) {
    const field = d.path ? form.querySelector<HTMLElement>(`[name="${CSS.escape(d.path)}"]`) : null;
    field?.setAttribute('aria-invalid', 'true');
    const label = field?.id
      ? form.querySelector(`label[for="${CSS.escape(field.id)}"]`)?.textContent?.trim()
      : undefined;
    parts.push(`${label ?? d.path ?? ''}: ${d.message ?? ''}`);
  }
  return parts.length > 0 ? `${message} ${parts.join('; ')}` : message;
}

/** `<input type="file" data-upload="POST /path">`: sends the chosen file as the body, then reloads. */
function uploadInputs(root: ParentNode = document): void {
  for (const input of all<HTMLInputElement>('input[type=file][data-upload]', root)) {
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      const out = input.parentElement?.querySelector('[role=status]') ?? null;
      if (!file) return;
      if (file.size > 512 * 1024)
        return say(out, `The file is ${Math.ceil(file.size / 1024)} KB; the limit is 512 KB.`, 'error');
      const [method, path] = (input.dataset.upload ?? '').split(' ') as [string, string];
      say(out, 'Uploading…');
      const res = await fetch(path, {
        method,
        body: file,
        credentials: 'same-origin',
        headers: {
          'content-type': file.type || 'application/octet-stream',
          'x-csrf-token': csrfToken(),
          accept: 'application/json',
        },
      }).catch(() => undefined);
      if (!res) return say(out, 'The server could not be reached.', 'error');
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        return say(out, body?.error?.message ?? `${res.status} ${res.statusText}`, 'error');
      }
      say(out, 'Logo uploaded.', 'ok');
      location.reload();
    });
  }
}

/** `<button data-action="DELETE /path" data-confirm="…">`: one request, then the row goes or the page reloads. */
function actionButtons(root: ParentNode = document): void {
  for (const button of all<HTMLButtonElement>('button[data-action]', root)) {
    button.addEventListener('click', async () => {
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
      const [method, path] = (button.dataset.action ?? '').split(' ') as [string, string];
      const out = document.getElementById(button.dataset.status ?? '') ?? document.querySelector('#page-status');
      button.disabled = true;
      const answer = await api<unknown>(
        method,
        path,
        button.dataset.body ? JSON.parse(button.dataset.body) : undefined,
      );
      button.disabled = false;
      if (!answer.ok) return say(out, answer.error.message, 'error');
      say(out, button.dataset.done ?? 'Done.', 'ok');
      if (revealSecret(button, answer.data, button.dataset.revealName ?? '')) return;
      if (button.dataset.then === 'remove-row') button.closest('tr')?.remove();
      else if (button.dataset.then === 'reload') location.reload();
    });
  }
}

/**
 * `data-refresh="<id>"` beside `data-reveal`: once the secret is shown, element #id (the list) is
 * replaced by its copy from the page rendered afresh, so the new row appears while the secret stays
 * on screen (a reload would drop it). Its forms and buttons are wired like the page's own.
 */
async function refreshRegion(id: string | undefined): Promise<void> {
  const current = id ? document.getElementById(id) : null;
  if (!current || !id) return;
  const res = await fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } });
  if (!res.ok) return;
  const fresh = new DOMParser().parseFromString(await res.text(), 'text/html').getElementById(id);
  if (!fresh) return;
  const node = document.importNode(fresh, true);
  current.replaceWith(node);
  jsonForms(node);
  actionButtons(node);
}

/** WCAG 2 contrast ratio of white text on `hex` (#rrggbb). */
function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (l + 0.05);
}

function colourSwatches(): void {
  for (const input of all<HTMLInputElement>('input[data-swatch]')) {
    const target = document.getElementById(input.dataset.swatch ?? '');
    const picker = document.getElementById(`${input.id}-picker`) as HTMLInputElement | null;
    const verdict = document.getElementById(`${input.id}-contrast`);
    const paint = () => {
      if (!/^#[0-9a-f]{6}$/i.test(input.value)) return;
      target?.style.setProperty('--preview-accent', input.value);
      const ratio = contrastWithWhite(input.value);
      say(
        verdict,
        `White text on this colour: ${ratio.toFixed(1)}:1 — ${ratio >= 4.5 ? 'readable (WCAG AA)' : 'too light for white text (needs 4.5:1)'}`,
        ratio >= 4.5 ? 'ok' : 'error',
      );
    };
    input.addEventListener('input', () => {
      if (picker && /^#[0-9a-f]{6}$/i.test(input.value)) picker.value = input.value;
      paint();
    });
    picker?.addEventListener('input', () => {
      input.value = picker.value;
      paint();
    });
    paint();
  }
}

/**
 * `<a data-accept="text/csv" download>`: a report whose CSV is chosen by the Accept header (a plain
 * link cannot send one) is fetched with it and saved as a file.
 */
function acceptDownloads(): void {
  for (const link of all<HTMLAnchorElement>('a[data-accept]')) {
    link.addEventListener('click', async (e) => {
      e.preventDefault();
      const res = await fetch(link.href, {
        headers: { accept: link.dataset.accept ?? '' },
        credentials: 'same-origin',
      });
      if (!res.ok) return;
      const url = URL.createObjectURL(await res.blob());
      const save = Object.assign(document.createElement('a'), {
        href: url,
        download: link.getAttribute('download') ?? 'export',
      });
      save.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
  }
}

sortableTables();
pageCopyEditor();
acceptDownloads();
jsonForms();
actionButtons();
uploadInputs();
colourSwatches();
copyButtons();
