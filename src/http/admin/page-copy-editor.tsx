import type { TemplateDoc } from './api-types.js';

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
};

/**
 * The hosted pages' copy for one locale: every message of the catalogue as a labelled field, grouped
 * by page. Saved and published like an email (console.js sends `{messages}` to the same routes).
 */
export function PageCopyEditor(props: { doc: TemplateDoc & { messages: Record<string, string> }; fallback?: Record<string, string> }) {
  const { doc } = props;
  const keys = Object.keys(doc.messages).sort();
  const groups = [...new Set(keys.map(groupOf))];
  const base = `/api/v1/admin/templates/${encodeURIComponent(doc.key)}/${encodeURIComponent(doc.locale)}`;
  return (
    <form id="copy-editor" data-base={base} method="post" action="#">
      <div class="editor-head">
        <div>
          <p class="small muted" style="margin:0"><a href="/admin/templates">Templates</a> / {doc.locale}</p>
          <h1>Hosted pages — words</h1>
          <p class="muted" style="margin:0">Every word shoppers read on the signup, confirmation, unsubscribe and order pages. <code>{'{name}'}</code>-style placeholders are filled in by the page.</p>
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
      {groups.map((g) => (
        <fieldset class="card visual-form" style="display:block">
          <legend>{groupTitle[g] ?? g}</legend>
          {keys.filter((k) => groupOf(k) === g).map((k) => (
            <div class="field">
              <label for={`m-${k}`}>{k.slice(g.length + 1) || k} <span class="muted small mono">{k}</span></label>
              {(doc.messages[k] ?? '').length > 70 ? (
                <textarea id={`m-${k}`} name={k} rows={3}>{doc.messages[k]}</textarea>
              ) : (
                <input id={`m-${k}`} name={k} type="text" value={doc.messages[k]} />
              )}
            </div>
          ))}
        </fieldset>
      ))}
    </form>
  );
}
