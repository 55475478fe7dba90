import type { ApiResult } from './console-context.js';
import { ApiProblem, PageHead, when } from './layout.js';

type Value = number | boolean | 'auto';
export type Settings = Record<string, Value> & { defaults?: Record<string, Value>; stored?: string[] };
export type ShopVariable = { name: string; description: string; sampleValue: string; defaultValue: string };
export type Change = { key: string; oldValue: unknown; newValue: unknown; changedBy: string; changedAt: string };

type Field = {
  key: string;
  label: string;
  env: string;
  kind: 'number' | 'per-unit' | 'boolean';
  unit?: string;
  min?: number;
  max?: number;
  step?: string;
  help: string;
};

/** In the order a restock happens: signup → detection → waves → afterwards. */
const groups: { title: string; fields: Field[] }[] = [
  {
    title: 'Signing up',
    fields: [
      {
        key: 'doubleOptIn',
        label: 'Ask shoppers to confirm their address',
        env: 'DOUBLE_OPT_IN',
        kind: 'boolean',
        help: 'A signup only counts once the link in the confirmation email is opened. Keeps typos and other people’s addresses off the list; expected in the EU and required in practice in Germany.',
      },
      {
        key: 'showWaitlistCount',
        label: 'Show how many people are waiting',
        env: 'SHOW_WAITLIST_COUNT',
        kind: 'boolean',
        help: '“12 people are waiting” on the widget and the signup page, and how many units came back in the email. Always the real numbers.',
      },
    ],
  },
  {
    title: 'When stock comes back',
    fields: [
      {
        key: 'restockSettleSeconds',
        label: 'Stock must stay in for',
        env: 'RESTOCK_SETTLE_SECONDS',
        kind: 'number',
        unit: 'seconds',
        min: 0,
        max: 86400,
        step: '1',
        help: 'A count that goes up and straight down again (a correction, a mistyped number) does not email anyone. 0 = announce at once.',
      },
      {
        key: 'notifyPerUnit',
        label: 'People told per unit back in stock',
        env: 'NOTIFY_PER_UNIT',
        kind: 'per-unit',
        min: 0,
        max: 1000,
        help: 'With 1, ten units back means the first ten people on the list hear first; with 2, twenty (some will find it sold out). 0 = everyone at once. “auto” sizes each wave from how many bought after the earlier ones.',
      },
      {
        key: 'waveIntervalMinutes',
        label: 'Time between waves',
        env: 'WAVE_INTERVAL_MINUTES',
        kind: 'number',
        unit: 'minutes',
        min: 1,
        max: 10080,
        step: 'any',
        help: 'While stock lasts, the next people on the list are told after this long.',
      },
    ],
  },
  {
    title: 'Expected dates and old signups',
    fields: [
      {
        key: 'etaChangeMinDays',
        label: 'Announce a new expected date when it moves by at least',
        env: 'ETA_CHANGE_MIN_DAYS',
        kind: 'number',
        unit: 'days',
        min: 0,
        max: 365,
        step: '1',
        help: 'Smaller moves are not worth an email. Order customers are always told about a delay past the promised date.',
      },
      {
        key: 'repermissionAfterDays',
        label: 'Ask “still interested?” after',
        env: 'REPERMISSION_AFTER_DAYS',
        kind: 'number',
        unit: 'days',
        min: 0,
        max: 3650,
        step: '1',
        help: 'People still waiting this long get one email; those who do not answer are taken off the list. 0 = never ask; otherwise at least 30 days.',
      },
    ],
  },
];

const label = Object.fromEntries(groups.flatMap((g) => g.fields.map((f) => [f.key, f.label])));
const shown = (v: unknown) =>
  v === null || v === undefined ? 'default' : v === true ? 'on' : v === false ? 'off' : String(v);

/** The settings page's body (its route: routes/settings.ts). */
export function SettingsView(props: {
  answer: ApiResult<Settings>;
  s: Settings;
  stored: Set<string>;
  changes: Change[];
  variables: ShopVariable[];
}) {
  const { answer, s, stored, changes, variables } = props;
  return (
    <>
      <PageHead
        title="Settings"
        lead="How the service treats signups and restocks. A change applies on every server within seconds, without a restart; each one is logged below."
      />
      {answer.ok ? null : <ApiProblem status={answer.status} message={answer.message} />}
      <form
        class="card settings-form"
        data-json="PUT /api/v1/admin/settings"
        data-done="Settings saved. They apply from now on."
        data-reload
        method="post"
        action="#"
      >
        {groups.map((g) => (
          <fieldset>
            <legend>{g.title}</legend>
            {g.fields.map((f) => {
              const v = s[f.key];
              const d = s.defaults?.[f.key];
              const id = `s-${f.key}`;
              return (
                <div class="field setting">
                  {f.kind === 'boolean' ? (
                    <label class="check" for={id}>
                      <input
                        id={id}
                        name={f.key}
                        type="checkbox"
                        data-type="boolean"
                        checked={v === true}
                        aria-describedby={`${id}-hint`}
                      />
                      <span>{f.label}</span>
                    </label>
                  ) : (
                    <>
                      <label for={id}>{f.label}</label>
                      <div class="inline">
                        <input
                          id={id}
                          name={f.key}
                          type={f.kind === 'per-unit' ? 'text' : 'number'}
                          inputmode="decimal"
                          data-type={f.kind === 'per-unit' ? 'number-or-auto' : 'number'}
                          value={v === undefined ? '' : String(v)}
                          min={f.min}
                          max={f.max}
                          step={f.step}
                          required
                          class="setting-input"
                          aria-describedby={`${id}-hint`}
                        />
                        {f.unit ? <span class="muted">{f.unit}</span> : null}
                      </div>
                    </>
                  )}
                  <p class="hint" id={`${id}-hint`}>
                    {f.help}
                  </p>
                  <p class="small muted">
                    {stored.has(f.key) ? (
                      <span class="badge ok">Set here</span>
                    ) : (
                      <span class="badge neutral">Default</span>
                    )}{' '}
                    Server default ({f.env}): <span class="mono">{shown(d)}</span>
                    {stored.has(f.key) ? (
                      <>
                        {' · '}
                        <button
                          type="button"
                          class="link"
                          data-action="PUT /api/v1/admin/settings"
                          data-body={JSON.stringify({ [f.key]: null })}
                          data-done="Back to the server default."
                          data-then="reload"
                        >
                          Use the default
                        </button>
                      </>
                    ) : null}
                  </p>
                </div>
              );
            })}
          </fieldset>
        ))}
        <div class="actions">
          <button type="submit">Save settings</button>
          <span class="small" role="status" aria-live="polite" id="page-status"></span>
        </div>
      </form>
      <VariablesCard variables={variables} />
      <section class="card" aria-labelledby="changes-title">
        <h2 id="changes-title">Recent changes</h2>
        {changes.length === 0 ? (
          <p class="muted">No changes yet: every setting is the server default.</p>
        ) : (
          <div class="table-wrap">
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Setting</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((ch) => (
                  <tr>
                    <td data-label="When">{when(ch.changedAt)}</td>
                    <td data-label="Who">{ch.changedBy}</td>
                    <td data-label="Setting">{label[ch.key] ?? ch.key}</td>
                    <td data-label="Change" class="mono">{`${shown(ch.oldValue)} → ${shown(ch.newValue)}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

/** The shop's own template variables: what exists, and a form to add or change one. */
function VariablesCard(props: { variables: ShopVariable[] }) {
  return (
    <section class="card" aria-labelledby="vars-title" id="variables">
      <h2 id="vars-title">Your own template variables</h2>
      <p class="muted small">
        Text you want in several emails, such as a support phone number or a promotion line. Write{' '}
        <code>{'{{name}}'}</code> in any template; previews show the sample, sent emails the value. A placeholder that
        is not declared still blocks publishing.
      </p>
      {props.variables.length > 0 ? (
        <div class="table-wrap" style="margin-bottom:16px">
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">Placeholder</th>
                <th scope="col">Sample (previews)</th>
                <th scope="col">Value in emails</th>
                <th scope="col">What for</th>
                <th scope="col">
                  <span class="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.variables.map((v) => (
                <tr>
                  <td data-label="Placeholder" class="mono">{`{{${v.name}}}`}</td>
                  <td data-label="Sample">{v.sampleValue}</td>
                  <td data-label="Value in emails">{v.defaultValue}</td>
                  <td data-label="What for">{v.description}</td>
                  <td>
                    <button
                      type="button"
                      class="link"
                      data-action={`DELETE /api/v1/admin/template-variables/${encodeURIComponent(v.name)}`}
                      data-confirm={`Remove {{${v.name}}}? Templates using it will fail their checks.`}
                      data-then="reload"
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <form
        data-json="POST /api/v1/admin/template-variables"
        data-done="Variable saved."
        data-reload
        method="post"
        action="#"
        class="grid-2"
      >
        <div class="field">
          <label for="v-name">Name</label>
          <input
            id="v-name"
            name="name"
            type="text"
            required
            pattern="[a-z][A-Za-z0-9]{0,39}"
            placeholder="supportPhone"
            aria-describedby="v-name-hint"
          />
          <p class="hint" id="v-name-hint">
            Letters and digits, starting with a small letter.
          </p>
        </div>
        <div class="field">
          <label for="v-description">What it is for</label>
          <input id="v-description" name="description" type="text" maxlength={200} />
        </div>
        <div class="field">
          <label for="v-sample">Sample value (previews)</label>
          <input id="v-sample" name="sampleValue" type="text" required maxlength={500} />
        </div>
        <div class="field">
          <label for="v-default">Value in sent emails</label>
          <input id="v-default" name="defaultValue" type="text" required maxlength={500} />
        </div>
        <div class="actions">
          <button type="submit">Add variable</button>
          <span class="small" role="status" aria-live="polite"></span>
        </div>
      </form>
    </section>
  );
}
