import type { Deps } from '../../deps.js';
import { PageHead, when } from './layout.js';
import { SecretBox } from './secret-box.js';

export type TokenRow = {
  id: number;
  name: string;
  scope: string;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

const scopeHelp: Record<string, string> = {
  inventory: 'Inventory (stock, order lines)',
  marketing: 'Marketing (templates, reports)',
  admin: 'Admin (everything)',
};

/** The API tokens page's body (its route: routes/api-tokens.ts). */
export function ApiTokensView(props: { rows: TokenRow[]; fromEnv: Deps['config']['apiTokens'] }) {
  const { rows, fromEnv } = props;
  return (
    <>
      <PageHead
        title="API tokens"
        lead="Bearer tokens for the shop's integration (stock updates, order lines) and for scripts using the admin API."
      />
      <SecretBox
        id="token-secret"
        title="New token"
        note="Copy it now and store it in the shop's settings or your secret store: it is not shown again. Send it as Authorization: Bearer <token>."
      />
      <p id="page-status" class="status-line" role="status" aria-live="polite"></p>
      <section class="card" aria-labelledby="new-token">
        <h2 id="new-token">Create a token</h2>
        <form
          data-json="POST /api/v1/admin/api-tokens"
          data-reveal="token"
          data-reveal-into="token-secret"
          data-reveal-label="name"
          data-refresh="tokens-table"
          data-done="Token created."
          method="post"
          action="#"
        >
          <div class="inline">
            <div class="grow">
              <label for="token-name">Name</label>
              <input
                id="token-name"
                name="name"
                type="text"
                required
                maxlength={100}
                autocomplete="off"
                placeholder="Shopify stock sync"
                aria-describedby="token-name-help"
              />
            </div>
            <div class="grow">
              <label for="token-scope">Scope</label>
              <select id="token-scope" name="scope">
                {Object.entries(scopeHelp).map(([v, label]) => (
                  <option value={v}>{label}</option>
                ))}
              </select>
            </div>
            <button type="submit">Create token</button>
          </div>
          <p class="hint small muted" id="token-name-help">
            A name says where the token is used, so you know what breaks when you revoke it.
          </p>
          <p class="hint small muted">
            Inventory: the shop's stock updates, feeds and backordered order lines. Marketing: templates, branding and
            reports through the admin API. Admin: the whole admin API, including users and tokens.
          </p>
          <p class="small" role="status" aria-live="polite"></p>
        </form>
      </section>
      <div class="table-wrap">
        <table id="tokens-table" class="stack">
          <caption class="sr-only">API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scope</th>
              <th scope="col">Token</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr data-token={t.name}>
                <td>
                  <strong>{t.name}</strong>
                </td>
                <td data-label="Scope">
                  <span class="badge neutral">{t.scope}</span>
                </td>
                <td class="mono small" data-label="Token">
                  {t.prefix}…
                </td>
                <td class="small" data-label="Created">
                  {when(t.createdAt)} <span class="muted">by {t.createdBy}</span>
                </td>
                <td class="small" data-label="Last used">
                  {t.lastUsedAt ? when(t.lastUsedAt) : 'never'}
                </td>
                <td data-label="Status">
                  {t.revokedAt ? (
                    <span class="badge error" title={`Revoked ${when(t.revokedAt)}`}>
                      revoked
                    </span>
                  ) : (
                    <span class="badge ok">active</span>
                  )}
                </td>
                <td>
                  {t.revokedAt ? null : (
                    <button
                      type="button"
                      class="danger"
                      data-action={`DELETE /api/v1/admin/api-tokens/${t.id}`}
                      data-confirm={`Revoke "${t.name}"? Every request with it is refused from now on; whatever uses it stops working.`}
                      data-done={`"${t.name}" revoked.`}
                      data-then="reload"
                    >
                      Revoke<span class="sr-only"> {t.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colspan={7} class="empty">
                  No tokens made here yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <p class="small muted" style="margin-top:12px">
        {fromEnv.length === 0
          ? 'The API_TOKENS setting is empty: only the tokens above are accepted.'
          : `Also accepted: ${fromEnv.length} token${fromEnv.length === 1 ? '' : 's'} from the API_TOKENS setting (scope ${[...new Set(fromEnv.map((t) => t.scope))].join(', ')}), changed in the service's environment, not here.`}
      </p>
    </>
  );
}
