import type { ConsoleUser } from './console-context.js';
import { PageHead, when } from './layout.js';
import { SecretBox } from './secret-box.js';

export type UserRow = {
  id: number;
  email: string;
  role: 'admin' | 'marketing';
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  activeSessions: number;
};

const roleHelp =
  'Admin: everything, including users and API tokens. Marketing: templates, branding, reports, mailbox, subscriber look-up.';

/** The users page's body (its route: routes/users.ts). */
export function UsersView(props: { rows: UserRow[]; user: ConsoleUser }) {
  const { rows, user } = props;
  return (
    <>
      <PageHead title="Users" lead="Who can log in to this console, and what they may do." />
      <SecretBox
        id="user-secret"
        title="New password"
        note="Pass it on securely (not by the same email as the address). It is not shown again; the user can be given a new one any time."
      />
      <p id="page-status" class="status-line" role="status" aria-live="polite"></p>
      <section class="card" aria-labelledby="add-user">
        <h2 id="add-user">Add a user</h2>
        <form
          data-json="POST /api/v1/admin/users"
          data-omit-empty
          data-reveal="password"
          data-reveal-into="user-secret"
          data-reveal-label="email"
          data-refresh="users-table"
          data-done="User added."
          method="post"
          action="#"
        >
          <div class="inline">
            <div class="grow">
              <label for="new-email">Email address</label>
              <input
                id="new-email"
                name="email"
                type="email"
                required
                autocomplete="off"
                placeholder="colleague@shop.example"
              />
            </div>
            <div>
              <label for="new-role">Role</label>
              <select id="new-role" name="role" aria-describedby="role-help">
                <option value="marketing">Marketing</option>
                <option value="admin">Admin</option>
              </select>
            </div>
            <div class="grow">
              <label for="new-password">
                Password <span class="muted small">(optional)</span>
              </label>
              <input
                id="new-password"
                name="password"
                type="password"
                minlength={10}
                autocomplete="new-password"
                aria-describedby="password-help"
              />
            </div>
            <button type="submit">Add user</button>
          </div>
          <p class="hint small muted" id="password-help">
            Leave the password empty to have one generated; it is shown once, here. At least 10 characters if you type
            one.
          </p>
          <p class="hint small muted" id="role-help">
            {roleHelp}
          </p>
          <p class="small" role="status" aria-live="polite"></p>
        </form>
      </section>
      <div class="table-wrap">
        <table id="users-table" class="stack">
          <caption class="sr-only">Console users</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Last login</th>
              <th scope="col" class="num">
                Sessions
              </th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => {
              const path = `/api/v1/admin/users/${u.id}`;
              const self = u.email === user.email;
              return (
                <tr data-user={u.email}>
                  <td>
                    <strong>{u.email}</strong>
                    {self ? <span class="muted small"> (you)</span> : null}
                  </td>
                  <td data-label="Role">
                    <span class={`badge ${u.role === 'admin' ? 'draft' : 'neutral'}`}>{u.role}</span>
                  </td>
                  <td data-label="Status">
                    {u.disabled ? <span class="badge error">disabled</span> : <span class="badge ok">active</span>}
                  </td>
                  <td class="small" data-label="Created">
                    {when(u.createdAt)}
                  </td>
                  <td class="small" data-label="Last login">
                    {when(u.lastLoginAt)}
                  </td>
                  <td class="num" data-label="Sessions">
                    {u.activeSessions}
                  </td>
                  <td>
                    <details class="manage">
                      <summary>
                        Manage<span class="sr-only"> {u.email}</span>
                      </summary>
                      <div class="manage-body">
                        <form
                          data-json={`PATCH ${path}`}
                          data-done="Role changed."
                          data-reload
                          method="post"
                          action="#"
                          class="inline"
                        >
                          <div>
                            <label for={`role-${u.id}`}>Role</label>
                            <select id={`role-${u.id}`} name="role">
                              <option value="marketing" selected={u.role === 'marketing'}>
                                Marketing
                              </option>
                              <option value="admin" selected={u.role === 'admin'}>
                                Admin
                              </option>
                            </select>
                          </div>
                          <button type="submit" class="secondary">
                            Change role
                          </button>
                          <p class="small" role="status" aria-live="polite"></p>
                        </form>
                        <div class="actions">
                          {u.disabled ? (
                            <button
                              type="button"
                              class="secondary"
                              data-status={`status-${u.id}`}
                              data-action={`PATCH ${path}`}
                              data-body='{"disabled":false}'
                              data-done={`${u.email} can log in again.`}
                              data-then="reload"
                            >
                              Enable
                            </button>
                          ) : (
                            <button
                              type="button"
                              class="danger"
                              data-status={`status-${u.id}`}
                              data-action={`PATCH ${path}`}
                              data-body='{"disabled":true}'
                              data-confirm={`Disable ${u.email}? They are logged out at once and cannot log in until enabled again.`}
                              data-then="reload"
                            >
                              Disable
                            </button>
                          )}
                          <button
                            type="button"
                            class="secondary"
                            data-status={`status-${u.id}`}
                            data-action={`PATCH ${path}`}
                            data-body='{"generatePassword":true}'
                            data-confirm={`Give ${u.email} a new generated password? Their current password stops working and they are logged out.`}
                            data-reveal="password"
                            data-reveal-into="user-secret"
                            data-reveal-name={u.email}
                          >
                            Reset password
                          </button>
                          <button
                            type="button"
                            class="secondary"
                            data-status={`status-${u.id}`}
                            data-action={`DELETE ${path}/sessions`}
                            data-confirm={
                              self
                                ? 'Log yourself out everywhere, including this browser?'
                                : `Log ${u.email} out everywhere?`
                            }
                            data-done={`${u.email} is logged out everywhere.`}
                            data-then="reload"
                          >
                            Log out everywhere
                          </button>
                        </div>
                        <p class="small" role="status" aria-live="polite" id={`status-${u.id}`}></p>
                      </div>
                    </details>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
