import type { Backorder, BackorderEvent } from '../../db/schema/index.js';
import { formatDay, type Translate } from './order-copy.js';

export type OrderPageProps = {
  t: Translate;
  locale: string;
  line: Backorder;
  productName: string;
  events: BackorderEvent[];
  actionUrl: string;
};

/** Whether the page offers Keep/Cancel: an open line that got a delay notice and has not said "wait". */
export const choiceOpen = (line: Backorder) => line.status === 'open' && line.noticeRevision > 0 && (line.awaitingAnswer || line.customerAnswer !== 'wait');

function eventText(t: Translate, locale: string, e: BackorderEvent): string | null {
  const d = (v: string | null) => (v ? formatDay(v, locale) : '');
  switch (e.type) {
    case 'registered':
      return t('order.event.registered', { date: d(e.newDate) });
    case 'date_revised':
      return e.newDate ? t('order.event.date_revised', { old: d(e.oldDate), new: d(e.newDate) }) : t('order.event.date_unknown', { old: d(e.oldDate) });
    case 'notice':
      return t('order.event.notice');
    case 'answer':
      return t(`order.event.answer.${e.answer}`);
    case 'status':
      return t('order.event.status', { status: t(`order.status.${e.newStatus}`) });
    case 'cancel_due':
      return t('order.event.cancel_due');
    case 'allocated':
      return t('order.event.allocated');
    default:
      return null;
  }
}

/** The customer's view of one order line: item, status, every date it had and why, and the choice. */
export function OrderStatus({ t, locale, line, productName, events, actionUrl }: OrderPageProps) {
  const day = (v: string) => formatDay(v, locale);
  return (
    <>
      <h1>{t('order.title', { order: line.orderLabel ?? line.orderId })}</h1>
      <p>
        <strong>{t('order.item', { quantity: line.quantity, product: productName })}</strong>
        <br />
        <span class="status" data-status={line.status}>{t(`order.status.${line.status}`)}</span>
      </p>
      <p>{t('order.promised', { date: day(line.promisedDate) })}</p>
      {line.status === 'open' && (
        <p>
          {line.expectedDate ? t('order.expected', { date: day(line.expectedDate) }) : t('order.expected.unknown')}
          {line.expectedReason && (
            <>
              <br />
              {t('order.reason', { reason: line.expectedReason })}
            </>
          )}
        </p>
      )}
      {choiceOpen(line) && (
        <section aria-labelledby="choice">
          <h2 id="choice">{t('order.choice.heading')}</h2>
          <p>{line.awaitingAnswer && line.consentDeadline ? t('order.choice.deadline', { date: day(line.consentDeadline) }) : t('order.choice.silence')}</p>
          <p class="muted">{t('order.choice.anytime')}</p>
          <form method="post" action={actionUrl}>
            <button type="submit" name="choice" value="wait">{t('order.choice.wait')}</button>{' '}
            <button type="submit" name="choice" value="cancel" class="secondary">{t('order.choice.cancel')}</button>
          </form>
        </section>
      )}
      <h2>{t('order.history.heading')}</h2>
      <ol class="history">
        {events.map((e) => {
          const text = eventText(t, locale, e);
          return text ? (
            <li>
              <time datetime={e.at.toISOString()}>{formatDay(e.at.toISOString().slice(0, 10), locale)}</time>: {text}
              {e.reason && e.type !== 'status' ? ` (${t('order.reason', { reason: e.reason })})` : ''}
            </li>
          ) : null;
        })}
      </ol>
    </>
  );
}
