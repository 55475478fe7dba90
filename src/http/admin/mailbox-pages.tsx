import type { ApiResult, ConsoleOptions } from './console-context.js';
import { ApiProblem, PageHead, when } from './layout.js';
import { previewDocument } from './client/preview-document.js';

export type MessageSummary = { id: string; subject?: string; to?: string; from?: string; date?: string; size?: number };
export type Message = MessageSummary & {
  html?: string | null;
  text?: string | null;
  headers?: Record<string, unknown> | { name: string; value: string }[];
};

function headerRows(headers: Message['headers']): [string, string][] {
  if (!headers) return [];
  if (Array.isArray(headers)) return headers.map((h) => [h.name, h.value]);
  return Object.entries(headers).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
}

/** The mailbox pages' bodies (their routes: routes/mailbox.ts). */
export function MailboxView(props: { rows: MessageSummary[]; capture: boolean; answer: ApiResult<unknown> }) {
  const { rows, capture, answer } = props;
  return (
    <>
      <PageHead
        title="Mailbox"
        lead="Development mailbox: every email the service would have sent, captured instead of delivered."
      />
      {!capture ? (
        <div class="notice info">Mail goes out through SMTP on this installation, so nothing is captured here.</div>
      ) : null}
      {capture && !answer.ok && answer.status !== 409 ? (
        <ApiProblem status={answer.status} message={answer.message} />
      ) : null}
      <div class="inline" style="margin-bottom:12px">
        <div class="grow">
          <label for="mail-filter">Search</label>
          <input id="mail-filter" type="search" data-filter-for="mail-table" placeholder="Recipient or subject" />
        </div>
        <p id="mail-table-count" class="small muted">
          {rows.length} messages
        </p>
      </div>
      <div class="table-wrap">
        <table id="mail-table" class="stack" data-sortable>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">To</th>
              <th scope="col">Received</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr>
                <td>
                  <a href={`/admin/mailbox/${encodeURIComponent(m.id)}`}>{m.subject || '(no subject)'}</a>
                </td>
                <td data-label="To">{m.to ?? ''}</td>
                <td class="small" data-label="Received" data-value={m.date ?? ''}>
                  {when(m.date)}
                </td>
              </tr>
            ))}
            {rows.length === 0 && answer.ok ? (
              <tr>
                <td colspan={3} class="empty">
                  No messages captured yet. Send a test from a template.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function MailboxMessageView(props: { m: Message; options: Pick<ConsoleOptions, 'serviceOrigin'> }) {
  const { m, options } = props;
  return (
    <>
      <p class="small muted" style="margin:0">
        <a href="/admin/mailbox">Mailbox</a>
      </p>
      <PageHead title={m.subject || '(no subject)'} lead={`To ${m.to ?? '?'} · ${when(m.date)}`} />
      <div class="editor-grid">
        <section class="editor-pane" aria-labelledby="html-title">
          <h2 id="html-title">HTML</h2>
          {m.html ? (
            <div class="preview-stage">
              <iframe
                title="Email HTML"
                sandbox=""
                referrerpolicy="no-referrer"
                srcdoc={previewDocument(m.html, options.serviceOrigin)}
              ></iframe>
            </div>
          ) : (
            <p class="muted">This message has no HTML part.</p>
          )}
        </section>
        <div>
          <section class="editor-pane" aria-labelledby="text-title" style="margin-bottom:20px">
            <h2 id="text-title">Plain text</h2>
            <pre class="preview-text">{m.text ?? ''}</pre>
          </section>
          <section class="editor-pane" aria-labelledby="headers-title">
            <h2 id="headers-title">Headers</h2>
            <dl class="kv small mono">
              {headerRows(m.headers).map(([k, v]) => (
                <>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </>
              ))}
            </dl>
          </section>
        </div>
      </div>
    </>
  );
}
