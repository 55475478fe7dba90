/**
 * Where a secret the service shows once (a new API token, a generated password) appears after the
 * request that made it: console.js fills `[data-secret]` and unhides the box. Until then it is empty
 * — a secret never travels in the page's HTML.
 */
export function SecretBox(props: { id: string; title: string; note: string }) {
  return (
    <div id={props.id} class="notice ok secret-box" role="status" aria-live="polite" hidden>
      <p style="margin:0 0 8px">
        <strong>{props.title}</strong> <span data-secret-for></span>
      </p>
      <div class="inline">
        <code class="secret grow" data-secret id={`${props.id}-value`}></code>
        <button type="button" class="secondary" data-copy={`${props.id}-value`}>
          Copy
        </button>
      </div>
      <p class="small" style="margin:8px 0 0">
        {props.note}{' '}
        {/* biome-ignore lint/a11y/useValidAnchor: href="" is this page; without JavaScript the link reloads it */}
        <a href="" data-reload-link>
          Done — hide it
        </a>
      </p>
    </div>
  );
}
