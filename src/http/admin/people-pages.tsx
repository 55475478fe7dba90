import type { ApiResult, ConsoleUser } from './console-context.js';
import { ApiProblem, PageHead, when } from './layout.js';
import { RecordTable } from './record-table.js';

export type Subscriber = {
  email?: string;
  suppression?: { reason: string; createdAt: string } | null;
  subscriptions?: Record<string, unknown>[];
  deliveries?: Record<string, unknown>[];
  orderLines?: Record<string, unknown>[];
};
export type Suppression = { email: string; reason?: string | null; createdAt?: string | null; source?: string | null };

/** The people pages' bodies (their routes: routes/people.ts). */
export function SubscribersView(props: {
  email: string;
  answer: ApiResult<Subscriber> | undefined;
  s: Subscriber | undefined;
  found: unknown;
  user: ConsoleUser;
}) {
  const { email, answer, s, found, user } = props;
  return (
    <>
      <PageHead
        title="Subscribers"
        lead="Everything about one email address: what they signed up for, what we sent, their orders."
      />
      <form method="get" action="/admin/subscribers" class="card inline" role="search">
        <div class="grow">
          <label for="lookup-email">Email address</label>
          <input
            id="lookup-email"
            name="email"
            type="email"
            value={email}
            required
            autocomplete="off"
            placeholder="customer@example.com"
          />
        </div>
        <button type="submit">Look up</button>
      </form>
      {answer && !answer.ok ? <ApiProblem status={answer.status} message={answer.message} /> : null}
      {s && !found ? <p class="card empty">We hold nothing about this address.</p> : null}
      {s && found ? (
        <>
          {s.suppression ? (
            <div class="notice error">
              This address is suppressed ({s.suppression.reason}, since {when(s.suppression.createdAt)}): we never email
              it.
            </div>
          ) : null}
          <section class="card">
            <h2>Subscriptions</h2>
            <RecordTable
              caption="Subscriptions"
              rows={s.subscriptions ?? []}
              prefer={['sku', 'productName', 'status', 'createdAt', 'confirmedAt', 'notifiedAt']}
              hide={['email', 'token', 'tokenHash', 'id']}
              empty="No subscriptions."
            />
          </section>
          <section class="card">
            <h2>Deliveries</h2>
            <RecordTable
              caption="Deliveries"
              rows={s.deliveries ?? []}
              prefer={['templateKey', 'status', 'createdAt', 'sentAt', 'attempts', 'smtpResponse', 'lastError']}
              hide={['email', 'recipient', 'id', 'subscriptionId', 'eventId']}
              empty="No emails sent to this address."
            />
          </section>
          <section class="card">
            <h2>Order lines</h2>
            <RecordTable
              caption="Order lines"
              rows={s.orderLines ?? []}
              prefer={['orderId', 'sku', 'status', 'promisedDate']}
              hide={['email']}
              empty="No order lines on backorder."
            />
          </section>
          {user.role === 'admin' ? (
            <section class="card" aria-labelledby="gdpr-title">
              <h2 id="gdpr-title">Data protection</h2>
              <p>
                <a
                  class="button secondary"
                  href={`/api/v1/admin/subscribers/export?email=${encodeURIComponent(email)}`}
                  download="subscriber.json"
                >
                  Export everything (JSON)
                </a>
              </p>
              <form
                data-json="POST /api/v1/admin/subscribers/erase"
                data-done="Erased. The address is suppressed and will never be emailed again."
                method="post"
                action="#"
              >
                <input type="hidden" name="email" value={email} />
                <p class="small">
                  Erasing removes the address and name from every row, keeps an anonymous record so counts stay right,
                  and suppresses the address. It cannot be undone.
                </p>
                <div class="inline">
                  <div class="grow">
                    <label for="erase-confirm">Type the address to confirm</label>
                    <input id="erase-confirm" name="_confirm" type="text" autocomplete="off" data-must-equal={email} />
                  </div>
                  <button type="submit" class="danger">
                    Erase personal data
                  </button>
                </div>
                <p class="small" role="status" aria-live="polite"></p>
              </form>
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}

export function SuppressionsView(props: { rows: Suppression[]; answer: ApiResult<unknown> }) {
  const { rows, answer } = props;
  return (
    <>
      <PageHead
        title="Suppressions"
        lead="Addresses we never email: hard bounces, complaints, unsubscribes from everything, erasures."
      />
      {answer.ok ? null : <ApiProblem status={answer.status} message={answer.message} />}
      <p id="page-status" role="status" aria-live="polite"></p>
      <div class="inline" style="margin-bottom:12px">
        <div class="grow">
          <label for="supp-filter">Search</label>
          <input id="supp-filter" type="search" data-filter-for="supp-table" placeholder="Address or reason" />
        </div>
        <p id="supp-table-count" class="small muted">
          {rows.length} addresses
        </p>
      </div>
      <div class="table-wrap">
        <table id="supp-table" data-sortable>
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Reason</th>
              <th scope="col">Since</th>
              <th scope="col" data-sort="none">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{r.email}</td>
                <td>
                  <span class="badge neutral">{r.reason ?? 'unknown'}</span>
                </td>
                <td class="small" data-value={r.createdAt ?? ''}>
                  {when(r.createdAt)}
                </td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    data-action={`DELETE /api/v1/admin/suppressions?email=${encodeURIComponent(r.email)}`}
                    data-confirm={`Remove ${r.email} from the suppression list? We may email this address again.`}
                    data-done={`${r.email} removed.`}
                    data-then="remove-row"
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
            {rows.length === 0 && answer.ok ? (
              <tr>
                <td colspan={4} class="empty">
                  No suppressed addresses.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}
