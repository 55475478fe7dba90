import type { ApiResult, ConsoleOptions, ConsoleUser } from './console-context.js';
import { previewDocument } from './client/preview-document.js';
import { ApiProblem, PageHead, when } from './layout.js';
import { languageName } from './language-name.js';
import type { Check, TemplateDoc } from './api-types.js';

export type TemplateRow = {
  key: string;
  locale: string;
  publishedVersion: number | null;
  draftVersion: number | null;
  updatedAt: string | null;
  updatedBy: string | null;
  fallbackLocale?: string;
};

export type Preview = { subject: string; html: string; text: string; checks: Check[] };

/** What staff call each template, and when it is sent. Unknown keys fall back to their key. */
const about: Record<string, [string, string]> = {
  confirm: ['Signup confirmation', 'Double opt-in: sent right after a signup.'],
  'back-in-stock': ['Back in stock', 'Sent in waves when a SKU is back.'],
  'eta-revised': ['New expected date', 'Sent when the restock date of a SKU moves.'],
  'backorder-confirmed': ['Backorder confirmed', 'Sent when an order line goes on backorder.'],
  'delivery-date-revised': ['Delivery date revised', 'Sent when a backordered line slips.'],
  'order-shipping-soon': ['Order shipping soon', 'Sent when stock is allocated to a backorder.'],
  'still-interested': ['Still interested?', 'Re-permission for long waits.'],
  pages: ['Hosted pages', 'Every word on the signup, confirm, unsubscribe and order pages.'],
};
export const templateName = (key: string) =>
  about[key]?.[0] ?? key.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
export const templatePath = (key: string, locale: string) =>
  `/api/v1/admin/templates/${encodeURIComponent(key)}/${encodeURIComponent(locale)}`;
const editorHref = (key: string, locale: string) =>
  `/admin/templates/${encodeURIComponent(key)}/${encodeURIComponent(locale)}`;

function StatusBadge(props: { row: Pick<TemplateRow, 'publishedVersion' | 'draftVersion'> }) {
  const { publishedVersion: p, draftVersion: d } = props.row;
  if (d && (!p || d > p))
    return (
      <span class="badge draft">
        Draft v{d} ahead{p ? ` of v${p}` : ''}
      </span>
    );
  return p ? <span class="badge published">Published v{p}</span> : <span class="badge neutral">No version</span>;
}

/** The template list's body (its route: routes/templates.ts). */
export function TemplatesView(props: { answer: ApiResult<unknown>; rows: TemplateRow[]; keys: string[] }) {
  const { answer, rows, keys } = props;
  return (
    <>
      <PageHead
        title="Templates"
        lead="Every email and page, per language. Open one to edit, preview, test and publish it."
      />
      {answer.ok ? null : <ApiProblem status={answer.status} message={answer.message} />}
      <div class="table-wrap">
        <table>
          <caption class="sr-only">Templates by language</caption>
          <thead>
            <tr>
              <th scope="col">Template</th>
              <th scope="col">Language</th>
              <th scope="col">Status</th>
              <th scope="col">Last edited by</th>
              <th scope="col">When</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.flatMap((key) => {
              const variants = rows.filter((r) => r.key === key);
              return variants.map((r, i) => (
                <tr>
                  {i === 0 ? (
                    <th scope="rowgroup" rowspan={variants.length} class="rowhead">
                      <strong>{templateName(r.key)}</strong>
                      <br />
                      <span class="muted small">{about[r.key]?.[1] ?? r.key}</span>
                    </th>
                  ) : null}
                  <td>{languageName(r.locale)}</td>
                  <td>
                    <StatusBadge row={r} />
                    {r.fallbackLocale && !r.publishedVersion && !r.draftVersion ? (
                      <span class="small muted"> uses {languageName(r.fallbackLocale)}</span>
                    ) : null}
                  </td>
                  <td>{r.updatedBy ?? <span class="muted">seeded from files</span>}</td>
                  <td class="small">{when(r.updatedAt)}</td>
                  <td>
                    <a
                      class="button secondary"
                      href={editorHref(r.key, r.locale)}
                      aria-label={`Edit ${templateName(r.key)} (${languageName(r.locale)})`}
                    >
                      Edit
                    </a>
                  </td>
                </tr>
              ));
            })}
            {rows.length === 0 && answer.ok ? (
              <tr>
                <td colspan={6} class="empty">
                  No templates yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The template editor's body (its route: routes/templates.ts): source, checks, preview, test send. */
export function TemplateEditorView(props: {
  key: string;
  locale: string;
  user: ConsoleUser;
  options: ConsoleOptions;
  t: TemplateDoc;
  preview: Preview;
  products: { sku: string; name?: string | null }[];
  first: ApiResult<Preview>;
}) {
  const { key, locale, user, options, t, preview, products, first } = props;
  return (
    <form
      id="editor"
      data-key={key}
      data-locale={locale}
      data-start-mode={user.role === 'marketing' ? 'visual' : 'source'}
      method="post"
      action="#"
    >
      {/* The source travels as JSON: an HTML textarea turns CRLF into LF, and a save must not change line ends. */}
      <script
        type="application/json"
        id="editor-source"
        dangerouslySetInnerHTML={{ __html: embedJson({ mjml: t.mjml, variables: t.variables ?? {} }) }}
      ></script>
      <div class="editor-head">
        <div>
          <p class="small muted" style="margin:0">
            <a href="/admin/templates">Templates</a> / {languageName(locale)}
          </p>
          <h1>{templateName(key)}</h1>
        </div>
        <div class="actions">
          <span id="version-badge" class={`badge ${t.status === 'published' ? 'published' : 'draft'}`}>
            {t.status === 'published' ? `Published v${t.version}` : `Draft v${t.version}`}
          </span>
          <span
            id="live-badge"
            class="badge neutral"
            style={t.status !== 'published' && t.publishedVersion ? '' : 'display:none'}
          >
            {t.status !== 'published' && t.publishedVersion ? `Live: v${t.publishedVersion}` : ''}
          </span>
          <a class="button secondary" href={`${editorHref(key, locale)}/history`}>
            History
          </a>
          <button type="submit" id="save" class="secondary">
            Save draft
          </button>
          <button type="button" id="publish">
            Publish
          </button>
        </div>
      </div>
      <p id="publish-note" class="small" role="status" aria-live="polite"></p>
      <div class="editor-grid editor">
        <section class="editor-pane" aria-labelledby="source-title">
          <div class="pane-head">
            <h2 id="source-title" style="margin:0">
              Content
            </h2>
            <div class="tabs" role="group" aria-label="Editing mode">
              <button type="button" data-mode="source" aria-pressed="true">
                Source
              </button>
              <button type="button" data-mode="visual" aria-pressed="false">
                Visual
              </button>
            </div>
          </div>
          <div class="field">
            <label for="subject">Subject line</label>
            <input id="subject" name="subject" type="text" value={t.subject} maxlength={300} autocomplete="off" />
          </div>
          <div id="source-pane">
            <label for="mjml" id="mjml-label">
              MJML source
            </label>
            <div class="cm-host">
              <textarea id="mjml" name="mjml" spellcheck={false} aria-labelledby="mjml-label">
                {t.mjml}
              </textarea>
            </div>
          </div>
          <div id="visual-form" class="visual-form" hidden></div>
          <h2 style="margin-top:16px">
            Checks{' '}
            <span id="checks-summary" class="small muted" role="status" aria-live="polite">
              {summary(preview.checks)}
            </span>
          </h2>
          <ul id="checks" class="checks">
            {preview.checks.map((ch) => (
              <li>
                <button type="button" disabled={!ch.line}>
                  <span class={`badge ${ch.level}`}>{ch.level}</span>
                  <span class="msg">{ch.message}</span>
                  <span class="where">{ch.line ? `line ${ch.line}` : ''}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section class="editor-pane" aria-labelledby="preview-title">
          <div class="pane-head">
            <h2 id="preview-title" style="margin:0">
              Preview
            </h2>
            <div class="tabs" role="group" aria-label="Preview width">
              <button type="button" data-view="desktop" aria-pressed="true">
                Desktop
              </button>
              <button type="button" data-view="mobile" aria-pressed="false">
                Mobile
              </button>
              <button type="button" data-view="text" aria-pressed="false">
                Plain text
              </button>
            </div>
          </div>
          <div class="inline field">
            <div class="grow">
              <label for="sample-sku">Sample data</label>
              <input
                id="sample-sku"
                name="sku"
                type="search"
                list="sku-list"
                placeholder="Example values — or type a SKU"
                autocomplete="off"
              />
              <datalist id="sku-list">
                {products.map((p) => (
                  <option value={p.sku}>{p.name ?? ''}</option>
                ))}
              </datalist>
            </div>
          </div>
          <p class="preview-subject">
            <span class="muted">Subject:</span> <strong id="preview-subject">{preview.subject}</strong>
          </p>
          <div class="preview-stage">
            <iframe
              id="preview-frame"
              title="Email preview"
              sandbox="allow-same-origin"
              referrerpolicy="no-referrer"
              srcdoc={previewDocument(preview.html, options.serviceOrigin)}
            ></iframe>
          </div>
          <pre id="preview-text" class="preview-text" hidden>
            {preview.text}
          </pre>
          <p id="status" class="status-line" role="status" aria-live="polite">
            {first.ok ? '' : first.message}
          </p>
          <h2 style="margin-top:8px">Send a test</h2>
          <div class="inline">
            <div class="grow">
              <label for="test-to">Send to</label>
              <input id="test-to" type="email" placeholder={user.email} autocomplete="email" />
              <p class="hint small muted">Leave empty to send it to yourself. The subject starts with [TEST].</p>
            </div>
            <button type="button" id="test-send" class="secondary">
              Send test
            </button>
          </div>
          {t.variables && Object.keys(t.variables).length > 0 ? (
            <details style="margin-top:12px">
              <summary>Variables this template may use</summary>
              <dl class="kv small" style="margin-top:8px">
                {Object.entries(t.variables).map(([name, v]) => (
                  <>
                    <dt class="mono">{`{{${name}}}`}</dt>
                    <dd>
                      {v.description ?? ''}
                      {v.example !== undefined ? <span class="muted"> — e.g. {String(v.example)}</span> : null}
                    </dd>
                  </>
                ))}
              </dl>
            </details>
          ) : null}
        </section>
      </div>
    </form>
  );
}

/** JSON safe inside a `<script>` element (`<` escaped, so no `</script>` can end it early). */
const embedJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

function summary(checks: Check[]): string {
  if (checks.length === 0) return 'No problems found.';
  const errors = checks.filter((c) => c.level === 'error').length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${checks.length - errors} warning${checks.length - errors === 1 ? '' : 's'}`;
}
