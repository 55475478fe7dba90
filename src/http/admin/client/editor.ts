/**
 * The template editor: CodeMirror 6 over the MJML source, a debounced server-side preview in a
 * sandboxed frame, the check list with lint markers, the visual form, and the draft/publish/test-send
 * actions. The server renders everything readable first; this script upgrades it.
 */
import { basicSetup } from 'codemirror';
import { xml } from '@codemirror/lang-xml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorView, keymap } from '@codemirror/view';
import { api, say, serviceOrigin } from './api.js';
import { previewDocument } from './preview-document.js';
import { renderVisualForm } from './visual-form.js';

type Check = { level: 'error' | 'warning'; code: string; message: string; line?: number | null };
type Preview = { subject: string; html: string; text: string; checks: Check[] };

const $ = <T extends Element>(sel: string) => document.querySelector<T>(sel);
const form = $<HTMLFormElement>('#editor');
if (form) start(form);


function start(form: HTMLFormElement): void {
  const key = form.dataset.key ?? '';
  const locale = form.dataset.locale ?? '';
  const base = `/api/v1/admin/templates/${encodeURIComponent(key)}/${encodeURIComponent(locale)}`;
  const textarea = $<HTMLTextAreaElement>('#mjml')!;
  const subject = $<HTMLInputElement>('#subject')!;
  const sku = $<HTMLInputElement>('#sample-sku');
  const status = $('#status');
  const frame = $<HTMLIFrameElement>('#preview-frame')!;
  const stage = $<HTMLElement>('.preview-stage')!;
  const textOut = $<HTMLElement>('#preview-text')!;
  const subjectOut = $<HTMLElement>('#preview-subject');
  const checksList = $<HTMLUListElement>('#checks')!;
  const checksSummary = $('#checks-summary');
  const publish = $<HTMLButtonElement>('#publish')!;
  const publishNote = $('#publish-note');
  const visualHost = $<HTMLElement>('#visual-form')!;
  let checks: Check[] = [];
  let saved = { subject: subject.value, mjml: textarea.value };
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  // CodeMirror replaces the textarea; the textarea stays in the form as the no-JS fallback.
  const host = textarea.parentElement!;
  textarea.hidden = true;
  const view = new EditorView({
    doc: textarea.value,
    parent: host,
    extensions: [
      basicSetup,
      xml(),
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': 'MJML source', 'aria-describedby': 'checks-summary' }),
      keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => (void saveDraft(), true) }]),
      EditorView.updateListener.of((u) => {
        if (!u.docChanged) return;
        textarea.value = u.state.doc.toString();
        if (!visualHost.hidden && !visualHost.contains(document.activeElement)) refreshVisual();
        schedule();
      }),
    ],
  });

  const source = () => view.state.doc.toString();
  const dirty = () => source() !== saved.mjml || subject.value !== saved.subject;

  function jumpTo(line: number): void {
    showMode('source');
    const l = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
    view.dispatch({ selection: { anchor: l.from, head: l.to }, scrollIntoView: true });
    view.focus();
  }

  function showChecks(list: Check[]): void {
    checks = list;
    const errors = list.filter((c) => c.level === 'error').length;
    const warnings = list.length - errors;
    checksList.replaceChildren(
      ...list.map((c) => {
        const li = document.createElement('li');
        const b = document.createElement('button');
        b.type = 'button';
        b.innerHTML = `<span class="badge ${c.level}"></span><span class="msg"></span><span class="where"></span>`;
        b.querySelector('.badge')!.textContent = c.level;
        b.querySelector('.msg')!.textContent = c.message;
        b.querySelector('.where')!.textContent = c.line ? `line ${c.line}` : '';
        if (c.line) b.addEventListener('click', () => jumpTo(c.line!));
        else b.disabled = true;
        li.append(b);
        return li;
      }),
    );
    say(checksSummary, list.length === 0 ? 'No problems found.' : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`, errors ? 'error' : 'ok');
    publish.setAttribute('aria-disabled', String(errors > 0));
    say(publishNote, errors ? `Publishing is blocked until the ${errors === 1 ? 'error is' : `${errors} errors are`} fixed.` : '', 'error');
    const doc = view.state.doc;
    const diagnostics: Diagnostic[] = list
      .filter((c) => c.line && c.line <= doc.lines)
      .map((c) => {
        const l = doc.line(c.line!);
        return { from: l.from, to: Math.max(l.from, l.to), severity: c.level, message: c.message, source: c.code };
      });
    view.dispatch(setDiagnostics(view.state, diagnostics));
  }

  async function preview(): Promise<void> {
    const mine = ++seq;
    say(status, 'Rendering preview…');
    const answer = await api<Preview>('POST', `${base}/preview`, { subject: subject.value, mjml: source(), ...(sku?.value ? { sku: sku.value } : {}) });
    if (mine !== seq) return; // a newer edit is already on its way
    if (!answer.ok) {
      // A 422 carries checks; anything else (an unknown SKU, a dropped connection) leaves the list as it was.
      if (Array.isArray(answer.error.details)) {
        showChecks((answer.error.details as Check[]).map((d) => ({ ...d, level: d.level ?? 'error', code: d.code ?? answer.error.code })));
      }
      say(status, answer.error.message, 'error');
      return;
    }
    const p = answer.data;
    showChecks(p.checks ?? []);
    const broken = (p.checks ?? []).some((c) => c.level === 'error');
    // While the source has errors the last good render stays on screen, so the email does not vanish mid-edit.
    if (broken && !p.html) {
      say(status, 'The preview shows the last version that rendered: fix the errors in the check list.', 'error');
      return;
    }
    frame.srcdoc = previewDocument(p.html, serviceOrigin());
    textOut.textContent = p.text;
    if (subjectOut) subjectOut.textContent = p.subject;
    say(status, `Preview updated ${new Date().toLocaleTimeString()}`, 'ok');
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void preview(), 400);
    say(status, dirty() ? 'Unsaved changes' : '');
  }

  async function saveDraft(): Promise<boolean> {
    say(status, 'Saving draft…');
    const body = { subject: subject.value, mjml: source() };
    const answer = await api<{ version: number; checks: Check[] }>('PUT', base, body);
    if (!answer.ok) {
      say(status, answer.error.message, 'error');
      return false;
    }
    saved = body;
    showChecks(answer.data.checks ?? checks);
    const badge = $('#version-badge');
    if (badge) badge.textContent = `Draft v${answer.data.version}`;
    say(status, `Draft v${answer.data.version} saved.`, 'ok');
    return true;
  }

  async function publishNow(): Promise<void> {
    if (checks.some((c) => c.level === 'error')) {
      say(status, 'Fix the errors in the check list first.', 'error');
      checksList.querySelector('button')?.focus();
      return;
    }
    if (dirty() && !(await saveDraft())) return;
    say(status, 'Publishing…');
    const answer = await api<{ version: number }>('POST', `${base}/publish`, {});
    if (!answer.ok) {
      if (Array.isArray(answer.error.details)) showChecks(answer.error.details as Check[]);
      say(status, answer.error.message, 'error');
      return;
    }
    const badge = $('#version-badge');
    if (badge) {
      badge.textContent = `Published v${answer.data.version ?? ''}`.trim();
      badge.className = 'badge published';
    }
    say(status, `Published${answer.data.version ? ` as v${answer.data.version}` : ''}. New emails use it from now on.`, 'ok');
  }

  async function testSend(): Promise<void> {
    if (dirty() && !(await saveDraft())) return;
    const to = $<HTMLInputElement>('#test-to')?.value.trim();
    say(status, 'Sending test…');
    const answer = await api<{ to?: string }>('POST', `${base}/test-send`, to ? { to } : {});
    say(status, answer.ok ? `Test sent to ${answer.data.to ?? to ?? 'you'}.` : answer.error.message, answer.ok ? 'ok' : 'error');
  }

  function refreshVisual(): void {
    renderVisualForm(visualHost, source(), (change) => view.dispatch({ changes: change }));
  }

  function showMode(mode: 'source' | 'visual'): void {
    $<HTMLElement>('#source-pane')!.hidden = mode !== 'source';
    visualHost.hidden = mode !== 'visual';
    for (const b of document.querySelectorAll<HTMLButtonElement>('[data-mode]')) b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
    if (mode === 'visual') refreshVisual();
  }

  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-mode]')) b.addEventListener('click', () => showMode(b.dataset.mode as 'source' | 'visual'));
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-view]')) {
    b.addEventListener('click', () => {
      const v = b.dataset.view;
      for (const o of document.querySelectorAll<HTMLButtonElement>('[data-view]')) o.setAttribute('aria-pressed', String(o === b));
      stage.hidden = v === 'text';
      textOut.hidden = v !== 'text';
      stage.classList.toggle('mobile', v === 'mobile');
    });
  }
  subject.addEventListener('input', schedule);
  // The SKU box searches the catalogue as you type (datalist suggestions); a chosen SKU re-renders.
  let skuTimer: ReturnType<typeof setTimeout> | undefined;
  sku?.addEventListener('input', () => {
    clearTimeout(skuTimer);
    skuTimer = setTimeout(async () => {
      const found = await api<{ products: { sku: string; name: string | null }[] }>('GET', `/api/v1/admin/products?limit=20&q=${encodeURIComponent(sku.value)}`);
      if (!found.ok) return;
      $('#sku-list')?.replaceChildren(...found.data.products.map((p) => Object.assign(document.createElement('option'), { value: p.sku, textContent: p.name ?? '' })));
    }, 250);
  });
  sku?.addEventListener('change', () => void preview());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void saveDraft();
  });
  publish.addEventListener('click', () => void publishNow());
  $('#test-send')?.addEventListener('click', () => void testSend());
  window.addEventListener('beforeunload', (e) => {
    if (dirty()) e.preventDefault();
  });
  form.dataset.ready = 'true';
  void preview();
}
