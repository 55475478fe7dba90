/**
 * The template editor: CodeMirror 6 over the MJML source, a debounced server-side preview in a
 * sandboxed frame, the check list with lint markers, the visual form, and the draft/publish/test-send
 * actions. The server renders everything readable first; this script upgrades it.
 */
import { basicSetup } from 'codemirror';
import { xml } from '@codemirror/lang-xml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { api, say, serviceOrigin } from './api.js';
import { previewDocument } from './preview-document.js';
import { variableLabel, type VarInfo } from './chips.js';
import { findRegions } from './mjml-regions.js';
import { regionForPreviewClick, renderVisualForm } from './visual-form.js';

type Check = { level: 'error' | 'warning'; code: string; message: string; line?: number | null };
type Preview = { subject: string; html: string; text: string; checks: Check[] };
type Doc = { version: number; status: 'draft' | 'published' | 'new'; publishedVersion: number | null };
/** The page embeds the source as JSON: an HTML textarea would turn every CRLF into LF. */
type Embedded = { mjml: string; variables: Record<string, { description?: string }> };

/** CodeMirror counts a line break as one position; the source string may spend two on it (CRLF). */
function toDocPos(source: string, offset: number, crlf: boolean): number {
  if (!crlf) return offset;
  let n = 0;
  for (let i = source.indexOf('\r\n'); i >= 0 && i < offset; i = source.indexOf('\r\n', i + 2)) n++;
  return offset - n;
}

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
  const embedded = JSON.parse($('#editor-source')?.textContent ?? 'null') as Embedded | null;
  const initial = embedded?.mjml ?? textarea.value;
  const crlf = initial.includes('\r\n');
  const vars: VarInfo[] = Object.entries(embedded?.variables ?? {}).map(([name, v]) => ({
    name,
    label: variableLabel(name, v.description),
  }));
  let checks: Check[] = [];
  let saved = { subject: subject.value, mjml: initial };
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  // CodeMirror replaces the textarea; the textarea stays in the form as the no-JS fallback.
  const host = textarea.parentElement!;
  textarea.hidden = true;
  const view = new EditorView({
    doc: initial,
    parent: host,
    extensions: [
      // Keep the file's own line ends: a CRLF template stays CRLF on save (no whole-file diff).
      ...(crlf ? [EditorState.lineSeparator.of('\r\n')] : []),
      basicSetup,
      xml(),
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': 'MJML source', 'aria-describedby': 'checks-summary' }),
      keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => (void saveDraft(), true) }]),
      EditorView.updateListener.of((u) => {
        if (!u.docChanged) return;
        textarea.value = u.state.sliceDoc();
        if (!visualHost.hidden && !visualHost.contains(document.activeElement)) refreshVisual();
        schedule();
      }),
    ],
  });

  const source = () => view.state.sliceDoc();
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
    say(
      checksSummary,
      list.length === 0
        ? 'No problems found.'
        : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
      errors ? 'error' : 'ok',
    );
    publish.setAttribute('aria-disabled', String(errors > 0));
    say(
      publishNote,
      errors ? `Publishing is blocked until the ${errors === 1 ? 'error is' : `${errors} errors are`} fixed.` : '',
      'error',
    );
    const doc = view.state.doc;
    const diagnostics: Diagnostic[] = list
      .filter((c) => c.line && c.line <= doc.lines)
      .map((c) => {
        const l = doc.line(c.line!);
        return { from: l.from, to: Math.max(l.from, l.to), severity: c.level, message: c.message, source: c.code };
      });
    view.dispatch(setDiagnostics(view.state, diagnostics));
  }

  // Save, publish and test-send results are not overwritten by a preview that finishes after them.
  // Until the next edit, a preview's own "updated" note does not replace the action's result either.
  let actionSeq = 0;
  let quiet = false;
  const tell = (message: string, tone?: 'ok' | 'error') => {
    actionSeq++;
    quiet = true;
    say(status, message, tone);
  };

  async function preview(): Promise<void> {
    const mine = ++seq;
    const act = actionSeq;
    const note = (message: string, tone?: 'ok' | 'error') => {
      if (act === actionSeq && (!quiet || tone === 'error')) say(status, message, tone);
    };
    note('Rendering preview…');
    // A result for older content must never stand as the verdict on this one.
    say(checksSummary, 'Checking…');
    const answer = await api<Preview>('POST', `${base}/preview`, {
      subject: subject.value,
      mjml: source(),
      ...(sku?.value ? { sku: sku.value } : {}),
    });
    if (mine !== seq) return; // a newer edit is already on its way
    if (!answer.ok) {
      // A 422 carries checks; anything else (an unknown SKU, a dropped connection) leaves the list as it was.
      if (Array.isArray(answer.error.details)) {
        showChecks(
          (answer.error.details as Check[]).map((d) => ({
            ...d,
            level: d.level ?? 'error',
            code: d.code ?? answer.error.code,
          })),
        );
      } else {
        say(checksSummary, `Checks could not run: ${answer.error.message}`, 'error');
      }
      stage.classList.add('stale');
      note(answer.error.message, 'error');
      return;
    }
    const p = answer.data;
    showChecks(p.checks ?? []);
    const broken = (p.checks ?? []).some((c) => c.level === 'error');
    // While the source has errors the last good render stays on screen, so the email does not vanish mid-edit.
    if (broken && !p.html) {
      stage.classList.add('stale');
      note('The preview (dimmed) shows the last version that rendered: fix the errors in the check list.', 'error');
      return;
    }
    stage.classList.remove('stale');
    frame.srcdoc = previewDocument(p.html, serviceOrigin());
    textOut.textContent = p.text;
    if (subjectOut) subjectOut.textContent = p.subject;
    note(`Preview updated ${new Date().toLocaleTimeString()}`, 'ok');
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void preview(), 400);
    quiet = false;
    say(status, dirty() ? 'Unsaved changes' : '');
  }

  /** The badges say what the server says: the version shown, and which version is live. */
  async function refreshBadges(): Promise<void> {
    const answer = await api<Doc>('GET', base);
    if (!answer.ok) return;
    const d = answer.data;
    const badge = $('#version-badge');
    const live = $<HTMLElement>('#live-badge');
    if (badge) {
      badge.textContent =
        d.status === 'published' ? `Published v${d.version}` : d.status === 'new' ? 'New' : `Draft v${d.version}`;
      badge.className = `badge ${d.status === 'published' ? 'published' : 'draft'}`;
    }
    if (live) {
      const behind = d.status !== 'published' && d.publishedVersion !== null;
      // `.badge` sets display, which would beat the hidden attribute.
      live.style.display = behind ? '' : 'none';
      live.textContent = behind ? `Live: v${d.publishedVersion}` : '';
    }
  }

  async function saveDraft(): Promise<boolean> {
    if (!dirty()) {
      tell('No changes to save.', 'ok');
      return true;
    }
    tell('Saving draft…');
    const body = { subject: subject.value, mjml: source() };
    const answer = await api<{ version: number; checks: Check[] }>('PUT', base, body);
    if (!answer.ok) {
      tell(answer.error.message, 'error');
      return false;
    }
    saved = body;
    showChecks(answer.data.checks ?? checks);
    await refreshBadges();
    tell(`Draft v${answer.data.version} saved.`, 'ok');
    return true;
  }

  async function publishNow(): Promise<void> {
    if (checks.some((c) => c.level === 'error')) {
      tell('Fix the errors in the check list first.', 'error');
      checksList.querySelector('button')?.focus();
      return;
    }
    if (dirty() && !(await saveDraft())) return;
    tell('Publishing…');
    const answer = await api<{ version: number }>('POST', `${base}/publish`, {});
    if (!answer.ok) {
      if (Array.isArray(answer.error.details)) showChecks(answer.error.details as Check[]);
      tell(answer.error.message, 'error');
      return;
    }
    await refreshBadges();
    tell(`Published${answer.data.version ? ` as v${answer.data.version}` : ''}. New emails use it from now on.`, 'ok');
  }

  async function testSend(): Promise<void> {
    if (dirty() && !(await saveDraft())) return;
    const to = $<HTMLInputElement>('#test-to')?.value.trim();
    tell('Sending test…');
    const answer = await api<{ to?: string }>('POST', `${base}/test-send`, to ? { to } : {});
    tell(
      answer.ok ? `Test sent to ${answer.data.to ?? to ?? 'you'}.` : answer.error.message,
      answer.ok ? 'ok' : 'error',
    );
  }

  function refreshVisual(): void {
    renderVisualForm(
      visualHost,
      source(),
      (change) => {
        const before = source();
        view.dispatch({
          changes: {
            from: toDocPos(before, change.from, crlf),
            to: toDocPos(before, change.to, crlf),
            insert: change.insert,
          },
        });
      },
      vars,
    );
  }

  /** A click in the preview selects the field of what was clicked (the frame is same-origin, without scripts). */
  function wirePreviewClicks(): void {
    const doc = frame.contentDocument;
    if (!doc) return;
    doc.addEventListener('click', (e) => {
      e.preventDefault();
      const region =
        e.target instanceof doc.defaultView!.Element
          ? regionForPreviewClick(e.target, findRegions(source()), doc)
          : undefined;
      if (!region) return;
      showMode('visual');
      const fs = document.getElementById(`region-${region.id}`);
      fs?.scrollIntoView({ block: 'center' });
      fs?.classList.add('picked');
      setTimeout(() => fs?.classList.remove('picked'), 1500);
      fs?.querySelector<HTMLElement>('input, [contenteditable]')?.focus({ preventScroll: true });
    });
  }
  frame.addEventListener('load', wirePreviewClicks);
  wirePreviewClicks();

  function showMode(mode: 'source' | 'visual'): void {
    $<HTMLElement>('#source-pane')!.hidden = mode !== 'source';
    visualHost.hidden = mode !== 'visual';
    for (const b of document.querySelectorAll<HTMLButtonElement>('[data-mode]'))
      b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
    if (mode === 'visual') refreshVisual();
  }

  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-mode]'))
    b.addEventListener('click', () => showMode(b.dataset.mode as 'source' | 'visual'));
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-view]')) {
    b.addEventListener('click', () => {
      const v = b.dataset.view;
      for (const o of document.querySelectorAll<HTMLButtonElement>('[data-view]'))
        o.setAttribute('aria-pressed', String(o === b));
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
      const found = await api<{ products: { sku: string; name: string | null }[] }>(
        'GET',
        `/api/v1/admin/products?limit=20&q=${encodeURIComponent(sku.value)}`,
      );
      if (!found.ok) return;
      $('#sku-list')?.replaceChildren(
        ...found.data.products.map((p) =>
          Object.assign(document.createElement('option'), { value: p.sku, textContent: p.name ?? '' }),
        ),
      );
    }, 250);
  });
  sku?.addEventListener('change', () => void preview());
  // Enter in a one-line box does what that box is for; it never submits (saves) the whole form.
  form.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || !(e.target instanceof HTMLInputElement)) return;
    e.preventDefault();
    if (e.target === sku) void preview();
    else if (e.target.id === 'test-to') void testSend();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (e.submitter?.id === 'save') void saveDraft();
  });
  publish.addEventListener('click', () => void publishNow());
  $('#test-send')?.addEventListener('click', () => void testSend());
  window.addEventListener('beforeunload', (e) => {
    if (dirty()) e.preventDefault();
  });
  if (form.dataset.startMode === 'visual') showMode('visual');
  form.noValidate = true;
  form.dataset.ready = 'true';
  void preview();
}
