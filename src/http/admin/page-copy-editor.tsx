import type { TemplateDoc } from './api-types.js';
import { previewDocument } from './client/preview-document.js';
import { languageName } from './language-name.js';
import { pageCopySections, type CopySection } from './page-copy-labels.js';

/** The pages the preview can show (the API's `page`), as staff call them. */
const previewPages: [string, string][] = [
  ['signup', 'Signup page (product out of stock)'],
  ['signup-done', 'After signing up'],
  ['confirm', 'Confirmation page'],
  ['unsubscribe', 'Unsubscribe page'],
  ['order', 'Order status (delayed order)'],
];

/**
 * The hosted pages' copy for one locale: every message of the catalogue as a labelled field, grouped
 * by page, beside a live preview of the real page (rendered by the service with the draft words and
 * the branding, in a sandboxed frame: no scripts, opaque origin, its own CSP). Saved and published
 * like an email (console.js sends `{messages}` to the same routes). `fallback`: the English texts,
 * shown under each field while translating; `previewHtml`: the first render, so the page shows it
 * before (or without) the script.
 */
export function PageCopyEditor(props: {
  doc: TemplateDoc & { messages: Record<string, string> };
  fallback?: Record<string, string>;
  previewHtml: string;
  serviceOrigin: string;
}) {
  const { doc } = props;
  const sections = pageCopySections(Object.keys(doc.messages), doc.messages);
  const main = sections.filter((x) => !x.advanced);
  const advanced = sections.filter((x) => x.advanced);
  const base = `/api/v1/admin/templates/${encodeURIComponent(doc.key)}/${encodeURIComponent(doc.locale)}`;
  return (
    <form id="copy-editor" data-base={base} method="post" action="#">
      <div class="editor-head">
        <div>
          <p class="small muted" style="margin:0">
            <a href="/admin/templates">Templates</a> / {languageName(doc.locale)}
          </p>
          <h1>Hosted pages — words</h1>
          <p class="muted" style="margin:0">
            Every word shoppers read on the signup, confirmation, unsubscribe and order pages. Keep placeholders such as{' '}
            <code>{'{{product}}'}</code> as they are: the page fills them in.
          </p>
        </div>
        <div class="actions">
          <span id="version-badge" class={`badge ${doc.status === 'published' ? 'published' : 'draft'}`}>
            {doc.status === 'published'
              ? `Published v${doc.version}`
              : doc.status === 'new'
                ? 'Not translated yet'
                : `Draft v${doc.version}`}
          </span>
          <a
            class="button secondary"
            href={`/admin/templates/${encodeURIComponent(doc.key)}/${encodeURIComponent(doc.locale)}/history`}
          >
            History
          </a>
          <button type="submit" class="secondary" data-copy-action="save">
            Save draft
          </button>
          <button type="submit" data-copy-action="publish">
            Publish
          </button>
        </div>
      </div>
      <p id="copy-status" class="status-line" role="status" aria-live="polite"></p>
      <ul id="checks" class="checks"></ul>
      <div class="editor-grid editor">
        <section aria-label="Texts">
          {main.map((section, i) => (
            <CopyGroup section={section} open={i === 0} doc={doc} fallback={props.fallback} />
          ))}
          {advanced.length > 0 ? (
            <details class="card copy-advanced">
              <summary>
                <strong>Advanced</strong> <span class="muted small">error pages, the spam trap, technical texts</span>
              </summary>
              {advanced.map((section) => (
                <CopyGroup section={section} open={false} doc={doc} fallback={props.fallback} />
              ))}
            </details>
          ) : null}
        </section>
        <section class="editor-pane" aria-labelledby="page-preview-title">
          <div class="pane-head">
            <h2 id="page-preview-title" style="margin:0">
              Preview
            </h2>
            <div class="tabs" role="group" aria-label="Preview width">
              <button type="button" data-page-view="desktop" aria-pressed="true">
                Desktop
              </button>
              <button type="button" data-page-view="mobile" aria-pressed="false">
                Mobile
              </button>
            </div>
          </div>
          <div class="field preview-controls">
            <label for="preview-page">Page</label>
            <select id="preview-page">
              {previewPages.map(([v, label]) => (
                <option value={v}>{label}</option>
              ))}
            </select>
          </div>
          <div class="preview-stage" id="page-stage">
            <iframe
              id="page-frame"
              title="Hosted page preview"
              sandbox=""
              referrerpolicy="no-referrer"
              srcdoc={previewDocument(props.previewHtml, props.serviceOrigin)}
            ></iframe>
          </div>
          <p id="preview-status" class="status-line small" role="status" aria-live="polite">
            With a sample product and your branding; updates as you type.
          </p>
        </section>
      </div>
    </form>
  );
}

/** One page's texts: a labelled field each (a text area for the long ones), its English beside it. */
function CopyGroup(props: {
  section: CopySection;
  open: boolean;
  doc: { messages: Record<string, string> };
  fallback?: Record<string, string>;
}) {
  const { section, doc } = props;
  return (
    <details class="card copy-group" open={props.open} data-section={section.id}>
      <summary>
        <strong>{section.title}</strong> <span class="muted small">{section.fields.length} texts</span>
      </summary>
      {section.hint ? <p class="hint small muted">{section.hint}</p> : null}
      {section.fields.map((f) => {
        const reference = props.fallback?.[f.key];

        const value = doc.messages[f.key] ?? '';
        return (
          <div class="field copy-row">
            <label for={`m-${f.key}`} title={f.key}>
              {f.label}
            </label>
            <div>
              {f.multiline ? (
                <textarea
                  id={`m-${f.key}`}
                  name={f.key}
                  rows={Math.min(6, Math.max(2, Math.ceil(value.length / 60)))}
                  aria-describedby={reference !== undefined ? `r-${f.key}` : undefined}
                >
                  {value}
                </textarea>
              ) : (
                <input
                  id={`m-${f.key}`}
                  name={f.key}
                  type="text"
                  value={value}
                  aria-describedby={reference !== undefined ? `r-${f.key}` : undefined}
                />
              )}
              {reference !== undefined ? (
                <p class="hint" id={`r-${f.key}`}>
                  English: {reference}
                </p>
              ) : null}
            </div>
          </div>
        );
      })}
    </details>
  );
}
