/**
 * Secrets the service answers once (a new API token, a generated password): shown in the page's
 * SecretBox after the request that made them, with a copy button. They live only in the DOM of this
 * page view; reloading the page (the box's "Done" link) drops them.
 */
const valueAt = (data: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), data);

/**
 * `data-reveal="<path in the answer>" data-reveal-into="<box id>"` on a form or action button: puts
 * the answer's secret into the box and shows it. Returns whether there was one to show.
 */
export function revealSecret(source: HTMLElement, data: unknown, label: string): boolean {
  const path = source.dataset.reveal;
  const box = document.getElementById(source.dataset.revealInto ?? '');
  const value = path ? valueAt(data, path) : undefined;
  if (!box || typeof value !== 'string' || value === '') return false;
  const code = box.querySelector('[data-secret]');
  const forWhom = box.querySelector('[data-secret-for]');
  if (code) code.textContent = value;
  if (forWhom) forWhom.textContent = label ? `for ${label}` : '';
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
  box.querySelector<HTMLButtonElement>('[data-copy]')?.focus();
  return true;
}

/** `<button data-copy="<id>">`: copies that element's text (clipboard API, else a selection the user can copy). */
export function copyButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    button.addEventListener('click', async () => {
      const target = document.getElementById(button.dataset.copy ?? '');
      const text = target?.textContent ?? '';
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = 'Copied';
      } catch {
        // No clipboard permission (plain http, an old browser): select it so Ctrl-C works.
        const range = document.createRange();
        if (target) range.selectNodeContents(target);
        getSelection()?.removeAllRanges();
        getSelection()?.addRange(range);
        button.textContent = 'Selected — press Ctrl-C';
      }
    });
  }
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-reload-link]')) {
    link.addEventListener('click', (e) => {
      e.preventDefault();
      location.reload();
    });
  }
}
