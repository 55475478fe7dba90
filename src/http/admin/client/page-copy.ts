/**
 * The hosted pages' copy editor: a live preview of the real page (rendered by the service with the
 * draft words and the branding, shown in a sandboxed frame) ~0.4 s after typing stops, a page picker,
 * desktop/phone widths; Save draft sends `{messages}`; Publish saves, then publishes.
 */
import { api, say, serviceOrigin } from './api.js';
import { previewDocument } from './preview-document.js';

type Check = { level: string; message: string; line?: number | null };
type Preview = { html: string; checks?: Check[] };

export function pageCopyEditor(): void {
  const form = document.querySelector<HTMLFormElement>('#copy-editor');
  if (!form) return;
  const base = form.dataset.base ?? '';
  const out = document.getElementById('copy-status');
  const list = document.getElementById('checks');
  const frame = document.querySelector<HTMLIFrameElement>('#page-frame');
  const stage = document.querySelector<HTMLElement>('#page-stage');
  const picker = document.querySelector<HTMLSelectElement>('#preview-page');
  const previewStatus = document.getElementById('preview-status');
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const messages = () => {
    const m: Record<string, string> = {};
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && !k.startsWith('_')) m[k] = v;
    return m;
  };
  const showChecks = (checks: Check[]) =>
    list?.replaceChildren(
      ...checks.map((c) => {
        const li = document.createElement('li');
        li.textContent = `${c.level}: ${c.message}`;
        return li;
      }),
    );

  async function preview(): Promise<void> {
    if (!frame) return;
    const mine = ++seq;
    say(previewStatus, 'Updating preview…');
    const answer = await api<Preview>('POST', `${base}/preview`, {
      messages: messages(),
      page: picker?.value ?? 'signup',
    });
    if (mine !== seq) return; // a newer edit is on its way
    if (!answer.ok) return say(previewStatus, answer.error.message, 'error');
    frame.srcdoc = previewDocument(answer.data.html, serviceOrigin());
    showChecks(answer.data.checks ?? []);
    say(previewStatus, 'Preview up to date.', 'ok');
  }
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void preview(), 400);
  };
  form.addEventListener('input', (e) => {
    if ((e.target as Element).closest('.preview-controls')) return;
    // Open the page the edited text belongs to (signup.* → the signup page), so the change is in view.
    const name = (e.target as HTMLInputElement).name ?? '';
    const page = pageOf(name);
    if (picker && page && picker.value !== page && !(page === 'signup' && picker.value === 'signup-done'))
      picker.value = page;
    schedule();
  });
  picker?.addEventListener('change', () => void preview());
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-page-view]')) {
    b.addEventListener('click', () => {
      for (const o of document.querySelectorAll<HTMLButtonElement>('[data-page-view]'))
        o.setAttribute('aria-pressed', String(o === b));
      stage?.classList.toggle('mobile', b.dataset.pageView === 'mobile');
    });
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const action = (e.submitter as HTMLButtonElement | null)?.dataset.copyAction ?? 'save';
    say(out, 'Saving draft…');
    const saved = await api<{ version: number; checks?: Check[] }>('PUT', base, { messages: messages() });
    if (!saved.ok) return say(out, saved.error.message, 'error');
    showChecks(saved.data.checks ?? []);
    if (action !== 'publish') return say(out, `Draft v${saved.data.version} saved.`, 'ok');
    const published = await api<{ version?: number }>('POST', `${base}/publish`, {});
    if (!published.ok) {
      if (Array.isArray(published.error.details)) showChecks(published.error.details as Check[]);
      return say(out, published.error.message, 'error');
    }
    say(out, 'Published. The pages use the new words now.', 'ok');
  });
}

/** The preview page a message key is shown on, when it is one of the previewed pages. */
function pageOf(key: string): string | undefined {
  if (key.startsWith('signup.done.')) return 'signup-done';
  const group = key.split('.')[0];
  if (group === 'signup' || group === 'confirm' || group === 'unsubscribe' || group === 'order') return group;
  return undefined;
}
