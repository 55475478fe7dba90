import { when } from './layout.js';

const names: Record<string, string> = {
  templateKey: 'Email',
  smtpResponse: 'SMTP reply',
  lastError: 'Last error',
  createdAt: 'Created',
  sku: 'SKU',
  productName: 'Product',
  nextAttemptAt: 'Next attempt',
  orderId: 'Order',
};
const label = (k: string) => names[k] ?? k.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
/** Status words → badge tone, so a failure stands out in a long list. */
const tone = (v: unknown) =>
  /^(sent|active|confirmed|notified|published|fulfilled|allocated)$/.test(String(v))
    ? 'ok'
    : /^(failed|unsubscribed|suppressed|cancelled|cancel_due|erased)$/.test(String(v))
      ? 'error'
      : /^(pending|retry|queued|sending|open)$/.test(String(v))
        ? 'warning'
        : 'neutral';
const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v);
const cell = (v: unknown): string =>
  v === null || v === undefined || v === ''
    ? '—'
    : isDate(v)
      ? when(v as string)
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

/**
 * A table of API records whose columns are the records' own fields (optionally a preferred order
 * first). Used where the page shows what the API holds about something (a subscriber's rows), so a
 * new field shows up without a page change.
 */
export function RecordTable(props: {
  caption: string;
  rows: Record<string, unknown>[];
  prefer?: string[];
  hide?: string[];
  empty: string;
}) {
  const keys = [...new Set(props.rows.flatMap((r) => Object.keys(r)))].filter((k) => !props.hide?.includes(k));
  const columns = [
    ...(props.prefer ?? []).filter((k) => keys.includes(k)),
    ...keys.filter((k) => !props.prefer?.includes(k)),
  ];
  if (props.rows.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            {columns.map((k) => (
              <th scope="col">{label(k)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              {columns.map((k) => (
                <td class={k === 'status' ? undefined : 'small'}>
                  {k === 'status' ? <span class={`badge ${tone(r[k])}`}>{cell(r[k])}</span> : cell(r[k])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
