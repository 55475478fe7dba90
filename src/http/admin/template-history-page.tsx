import { diffLines } from 'diff';
import type { ApiResult } from './console-context.js';
import { ApiProblem, PageHead, when } from './layout.js';
import type { TemplateDoc } from './api-types.js';
import { languageName } from './language-name.js';
import { templateName } from './templates-pages.js';

export type VersionRow = {
  version: number;
  status: string;
  createdBy?: string | null;
  createdAt?: string | null;
  publishedBy?: string | null;
  publishedAt?: string | null;
  copiedFrom?: number | null;
  current?: boolean;
};

/** A line diff of `from` → `to`; unchanged runs longer than 6 lines are folded to their edges. */
function Diff(props: { from: string; to: string }) {
  const parts = diffLines(props.from, props.to);
  if (parts.every((p) => !p.added && !p.removed)) return <p class="muted">No differences.</p>;
  return (
    <pre class="diff" role="figure" aria-label="Differences: lines starting with + were added, − removed">
      {parts.map((p) => {
        const lines = p.value.replace(/\n$/, '').split('\n');
        if (p.added) return <span class="add">{lines.map((l) => `+ ${l}`).join('\n')}</span>;
        if (p.removed) return <span class="del">{lines.map((l) => `− ${l}`).join('\n')}</span>;
        const shown =
          lines.length > 6
            ? [...lines.slice(0, 3), `  … ${lines.length - 6} unchanged lines …`, ...lines.slice(-3)]
            : lines;
        return <span class="same">{shown.map((l) => `  ${l}`).join('\n')}</span>;
      })}
    </pre>
  );
}

/** The template history page's body (its route: routes/template-history.ts). */
export function TemplateHistoryView(props: {
  key: string;
  locale: string;
  editor: string;
  base: string;
  answer: ApiResult<unknown>;
  versions: VersionRow[];
  picked: number | undefined;
  publishedNow: VersionRow | undefined;
  selected: ApiResult<TemplateDoc> | undefined;
  published: ApiResult<TemplateDoc> | undefined;
}) {
  const { key, locale, editor, base, answer, versions, picked, publishedNow, selected, published } = props;
  return (
    <>
      <p class="small muted" style="margin:0">
        <a href="/admin/templates">Templates</a> /{' '}
        <a href={editor}>
          {templateName(key)} ({languageName(locale)})
        </a>
      </p>
      <PageHead
        title="History"
        lead="Every saved and published version. Rolling back publishes a copy of an old version; nothing is deleted."
      />
      {answer.ok ? null : <ApiProblem status={answer.status} message={answer.message} />}
      <p id="page-status" role="status" aria-live="polite"></p>
      <div class="table-wrap" style="margin-bottom:20px">
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Saved by</th>
              <th scope="col">Saved</th>
              <th scope="col">Published</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr aria-current={v.version === picked ? 'true' : undefined}>
                <td>
                  <strong>v{v.version}</strong>
                  {v.copiedFrom ? <span class="muted small"> (copy of v{v.copiedFrom})</span> : null}
                </td>
                <td style="white-space:nowrap">
                  <span class={`badge ${v.status === 'published' ? 'published' : 'draft'}`}>{v.status}</span>
                  {v === publishedNow ? (
                    <span class="badge ok" style="margin-left:4px">
                      live
                    </span>
                  ) : null}
                </td>
                <td>{v.createdBy ?? <span class="muted">seeded from files</span>}</td>
                <td class="small">{when(v.createdAt)}</td>
                <td class="small">
                  {v.publishedAt ? `${when(v.publishedAt)}${v.publishedBy ? ` by ${v.publishedBy}` : ''}` : '—'}
                </td>
                <td>
                  <div class="actions">
                    <a class="button secondary" href={`?version=${v.version}`}>
                      View{publishedNow && v !== publishedNow ? ' & diff' : ''}
                    </a>
                    {v !== publishedNow ? (
                      <button
                        type="button"
                        class="secondary"
                        data-action={`POST ${base}/rollback`}
                        data-body={JSON.stringify({ version: v.version })}
                        data-confirm={`Publish a copy of v${v.version}? Emails sent from now on use it.`}
                        data-done={`v${v.version} is live again.`}
                        data-then="reload"
                      >
                        Roll back to v{v.version}
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected && selected.ok ? (
        <div class="grid-2">
          <section class="card">
            <h2>
              From the published v{publishedNow?.version ?? '—'} to v{picked}
            </h2>
            <p class="small muted">
              Lines marked − are in the published version only, + in v{picked} only: rolling back to v{picked} makes
              exactly these changes.
            </p>
            {published && published.ok ? (
              <>
                {published.data.subject !== selected.data.subject ? (
                  <p class="small">
                    Subject: <del>{published.data.subject}</del> → <ins>{selected.data.subject}</ins>
                  </p>
                ) : null}
                <Diff from={published.data.mjml} to={selected.data.mjml} />
              </>
            ) : (
              <p class="muted">There is no published version to compare with.</p>
            )}
          </section>
          <section class="card">
            <h2>
              v{picked} <span class="muted small">subject: {selected.data.subject}</span>
            </h2>
            <pre class="diff">
              <span class="same">{selected.data.mjml}</span>
            </pre>
          </section>
        </div>
      ) : selected ? (
        <ApiProblem status={selected.status} message={selected.message} />
      ) : null}
    </>
  );
}
