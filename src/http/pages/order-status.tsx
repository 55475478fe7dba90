import type { Backorder, BackorderEvent } from '../../db/schema/index.js';
import { Layout, type PageChrome } from './layout.js';
import type { Messages } from './messages.js';

export type OrderPageProps = PageChrome & {
  line: Backorder;
  productName: string;
  events: BackorderEvent[];
  actionHref: string;
  /** `?choice=` from the email button: that button is shown first and marked. */
  preselect?: 'wait' | 'cancel';
};

/**
 * Whether the page offers Keep/Cancel: an open line that got a delay notice and has not said "wait", or a
 * cancel_due line not yet refunded (keeping it is the express consent the lapse email asks for).
 */
const choiceOpen = (line: Backorder) =>
  (line.status === 'open' && line.noticeRevision > 0 && (line.awaitingAnswer || line.customerAnswer !== 'wait')) ||
  (line.status === 'cancel_due' && line.refundedAt === null);

/** Cancel only: any line not yet shipped (allocation is not shipment, 16 CFR 435.1) with no open choice. */
const cancelOpen = (line: Backorder) => (line.status === 'open' || line.status === 'allocated') && !choiceOpen(line);

function eventText(m: Messages, e: BackorderEvent): string | null {
  const d = (v: string | null) => (v ? m.date(v) : '');
  switch (e.type) {
    case 'registered':
      return m.t('order.event.registered', { date: d(e.newDate) });
    case 'date_revised':
      return e.newDate
        ? m.t('order.event.date_revised', { old: d(e.oldDate), new: d(e.newDate) })
        : m.t('order.event.date_unknown', { old: d(e.oldDate) });
    case 'notice':
      return m.t('order.event.notice');
    case 'answer':
      return m.t(`order.event.answer.${e.answer}`);
    case 'status':
      return m.t('order.event.status', { status: m.t(`order.status.${e.newStatus}`) });
    case 'cancel_due':
      return m.t('order.event.cancel_due');
    case 'allocated':
      return m.t('order.event.allocated');
    case 'refunded':
      return m.t('order.event.refunded');
    default:
      return null;
  }
}

/** The customer's view of one order line: item, status, every date it had and why, and the choice. */
export function OrderStatusPage(props: OrderPageProps) {
  const { m, line, productName, events, actionHref, preselect } = props;
  const title = m.t('order.title', { order: line.orderLabel ?? line.orderId });
  const wait = (
    <button
      type="submit"
      name="choice"
      value="wait"
      class={preselect === 'cancel' ? 'secondary' : undefined}
      aria-current={preselect === 'wait' ? 'true' : undefined}
    >
      {m.t('order.choice.wait')}
    </button>
  );
  const cancel = (
    <button
      type="submit"
      name="choice"
      value="cancel"
      class={preselect === 'cancel' ? undefined : 'secondary'}
      aria-current={preselect === 'cancel' ? 'true' : undefined}
    >
      {m.t('order.choice.cancel')}
    </button>
  );
  return (
    <Layout {...props} title={title} footerKey="layout.footer.order">
      <h1>{title}</h1>
      <p>
        <strong>{m.t('order.item', { quantity: line.quantity, product: productName })}</strong>
        <br />
        <span class="status" data-status={line.status}>
          {m.t(`order.status.${line.status}`)}
        </span>
      </p>
      <p>{m.t('order.promised', { date: m.date(line.promisedDate) })}</p>
      {line.status === 'open' && (
        <p>
          {line.expectedDate
            ? m.t('order.expected', { date: m.date(line.expectedDate) })
            : m.t('order.expected.unknown')}
          {line.expectedReason && (
            <>
              <br />
              {m.t('order.reason', { reason: line.expectedReason })}
            </>
          )}
        </p>
      )}
      {choiceOpen(line) && (
        <section aria-labelledby="choice">
          <h2 id="choice">{m.t('order.choice.heading')}</h2>
          <p>
            {line.status === 'cancel_due'
              ? m.t('order.choice.cancel_due')
              : line.awaitingAnswer && line.consentDeadline
                ? m.t('order.choice.deadline', { date: m.date(line.consentDeadline) })
                : m.t('order.choice.silence')}
          </p>
          <p class="muted">{m.t('order.choice.anytime')}</p>
          <form method="post" action={actionHref} class="choices">
            {preselect === 'cancel' ? [cancel, ' ', wait] : [wait, ' ', cancel]}
          </form>
        </section>
      )}
      {cancelOpen(line) && (
        <section aria-labelledby="cancel">
          <h2 id="cancel">{m.t('order.cancel.heading')}</h2>
          <p class="muted">{m.t('order.cancel.text')}</p>
          <form method="post" action={actionHref} class="choices">
            {cancel}
          </form>
        </section>
      )}
      {line.refundedAt ? (
        <p>{m.t('order.refund.done', { date: m.date(line.refundedAt.toISOString().slice(0, 10)) })}</p>
      ) : line.refundDueBy ? (
        <p>{m.t('order.refund.due', { date: m.date(line.refundDueBy) })}</p>
      ) : null}
      <h2>{m.t('order.history.heading')}</h2>
      <ol class="history">
        {events.map((e) => {
          const text = eventText(m, e);
          // The history starts when the customer ordered, not when the shop told us about the order.
          const at = e.type === 'registered' && line.orderedAt ? line.orderedAt : e.at;
          return text ? (
            <li>
              <time datetime={at.toISOString()}>{m.date(at.toISOString().slice(0, 10))}</time>: {text}
              {e.reason && e.type !== 'status' ? ` (${m.t('order.reason', { reason: e.reason })})` : ''}
            </li>
          ) : null;
        })}
      </ol>
    </Layout>
  );
}

/** After a POST: what was recorded, with a link back to the order. */
export function OrderAnsweredPage(
  props: PageChrome & { choice: 'wait' | 'cancel'; productName: string; orderTitle: string; backHref: string },
) {
  const { m, choice, productName, orderTitle, backHref } = props;
  const title = m.t(`order.done.${choice}.title`);
  return (
    <Layout {...props} title={title} footerKey="layout.footer.order">
      <h1>{title}</h1>
      <p>{m.t(`order.done.${choice}.text`, { product: productName })}</p>
      <p>
        <a href={backHref}>{orderTitle}</a>
      </p>
    </Layout>
  );
}
