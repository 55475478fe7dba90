import type { TemplateDoc } from './api-types.js';
import { previewDocument } from './client/preview-document.js';
import { languageName } from './language-name.js';

/** The pages the preview can show (the API's `page`), as staff call them. */
const previewPages: [string, string][] = [
  ['signup', 'Signup page (product out of stock)'],
  ['signup-done', 'After signing up'],
  ['confirm', 'Confirmation page'],
  ['unsubscribe', 'Unsubscribe page'],
  ['order', 'Order status (delayed order)'],
];

const groupOf = (key: string) => key.split('.')[0] ?? key;
const groupTitle: Record<string, string> = {
  signup: 'Signup page',
  confirm: 'Confirmation page',
  unsubscribe: 'Unsubscribe page',
  order: 'Order status page',
  orders: 'Order status page',
  error: 'Error pages',
  errors: 'Error pages',
  common: 'Shared',
  widget: 'Widget',
  stillInterested: 'Still interested? page',
  field: 'Form fields',
  landing: 'Landing page',
  layout: 'Header and footer',
  meta: 'Page titles',
};

/**
 * The hosted pages' copy for one locale: every message of the catalogue as a labelled field, grouped
 * by page, beside a live preview of the real page (rendered by the service with the draft words and
 * the branding, in a sandboxed frame: no scripts, opaque origin, its own CSP). Saved and published
 * like an email (console.js sends `{messages}` to the same routes). `fallback`: the English texts,
 * shown under each field while translating; `previewHtml`: the first render, so the page shows it
 * before (or without) the script.
 */
export function PageCopyEditor(props: { doc: TemplateDoc & { messages: Record<string, string> }; fallback?: Record<string, string>; previewHtml: string; serviceOrigin: string }) {
  const { doc } = props;
  const keys = Object.keys(doc.messages).sort();
  const groups = [...new Set(keys.map(groupOf))];
  const base = `/api/v1/admin/templates/${encodeURIComponent(doc.key)}/${encodeURIComponent(doc.locale)}`;
  return (
    <form id="copy-editor" data-base={base} method="post" action="#">
      <div class="editor-head">
        <div>
          <p class="small muted" style="margin:0"><a href="/admin/templates">Templates</a> / {languageName(doc.locale)}</p>
          <h1>Hosted pages — words</h1>
          <p class="muted" style="margin:0">Every word shoppers read on the signup, confirmation, unsubscribe and order pages. Keep placeholders such as <code>{'{{product}}'}</code> as they are: the page fills them in.</p>
        </div>
        <div class="actions">
          <span id="version-badge" class={`badge ${doc.status === 'published' ? 'published' : 'draft'}`}>{doc.status === 'published' ? `Published v${doc.version}` : doc.status === 'new' ? 'Not translated yet' : `Draft v${doc.version}`}</span>
          <a class="button secondary" href={`/admin/templates/${encodeURIComponent(doc.key)}/${encodeURIComponent(doc.locale)}/history`}>History</a>
          <button type="submit" class="secondary" data-copy-action="save">Save draft</button>
          <button type="submit" data-copy-action="publish">Publish</button>
        </div>
      </div>
      <p id="copy-status" class="status-line" role="status" aria-live="polite"></p>
      <ul id="checks" class="checks"></ul>
      <div class="editor-grid editor">
      <section aria-label="Texts">
      {groups.map((g, i) => {
        const inGroup = keys.filter((k) => groupOf(k) === g);
        return (
          <details class="card copy-group" open={i === 0}>
            <summary><strong>{groupTitle[g] ?? g}</strong> <span class="muted small">{inGroup.length} texts</span></summary>
            {inGroup.map((k) => {
              const reference = props.fallback?.[k];
              return (
                <div class="field copy-row">
                  <label for={`m-${k}`}>{k.slice(g.length + 1) || k}</label>
                  <div>
                    {(doc.messages[k] ?? '').length > 70 ? (
                      <textarea id={`m-${k}`} name={k} rows={3} aria-describedby={reference !== undefined ? `r-${k}` : undefined}>{doc.messages[k]}</textarea>
                    ) : (
                      <input id={`m-${k}`} name={k} type="text" value={doc.messages[k]} aria-describedby={reference !== undefined ? `r-${k}` : undefined} />
                    )}
                    {reference !== undefined ? <p class="hint" id={`r-${k}`}>English: {reference}</p> : null}
                  </div>
                </div>
              );
            })}
          </details>
        );
      })}
      </section>
      <section class="editor-pane" aria-labelledby="page-preview-title">
        <div class="pane-head">
          <h2 id="page-preview-title" style="margin:0">Preview</h2>
          <div class="tabs" role="group" aria-label="Preview width">
            <button type="button" data-page-view="desktop" aria-pressed="true">Desktop</button>
            <button type="button" data-page-view="mobile" aria-pressed="false">Mobile</button>
          </div>
        </div>
        <div class="field preview-controls">
          <label for="preview-page">Page</label>
          <select id="preview-page">{previewPages.map(([v, label]) => <option value={v}>{label}</option>)}</select>
        </div>
        <div class="preview-stage" id="page-stage">
          <iframe id="page-frame" title="Hosted page preview" sandbox="" referrerpolicy="no-referrer" srcdoc={previewDocument(props.previewHtml, props.serviceOrigin)}></iframe>
        </div>
        <p id="preview-status" class="status-line small" role="status" aria-live="polite">With a sample product and your branding; updates as you type.</p>
      </section>
      </div>
    </form>
  );
}
