import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { issuesOf, OrderInput } from './order-input.js';
import { recordOrders, type RecordedOrder } from './record-orders.js';

export const MAX_ORDER_ROWS = 10_000;

type RowError = { row: number; orderId?: string; code: string; errors: { path: string; message: string }[] };
export type OrderBatchSummary = {
  received: number;
  created: number;
  existing: number;
  rejected: number;
  errors: RowError[];
};

/**
 * One order from the API (SPEC: POST /api/v1/orders).
 * @throws AppError VALIDATION naming the offending field (`lines.0.quantity`); nothing is written then.
 */
export async function recordOrder(
  ctx: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { order: unknown },
): Promise<RecordedOrder> {
  const parsed = OrderInput.safeParse(input.order);
  if (!parsed.success) throw new AppError('VALIDATION', 'The order is not valid.', { details: issuesOf(parsed.error) });
  const [recorded] = await recordOrders(ctx, { source: 'api', orders: [parsed.data] });
  return recorded!;
}

/**
 * Many orders (SPEC: POST /api/v1/orders/bulk): each row validated on its own, the good ones recorded
 * in one transaction, the bad ones reported by row number (from 1) without stopping the others.
 * @throws AppError PAYLOAD_TOO_LARGE above 10,000 rows (nothing recorded).
 */
export async function recordOrderBatch(
  ctx: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { rows: unknown[] },
): Promise<OrderBatchSummary> {
  if (input.rows.length > MAX_ORDER_ROWS)
    throw new AppError('PAYLOAD_TOO_LARGE', `At most ${MAX_ORDER_ROWS} rows per request (got ${input.rows.length}).`);
  const errors: RowError[] = [];
  const good: OrderInput[] = [];
  const seen = new Set<string>();
  input.rows.forEach((value, i) => {
    const parsed = OrderInput.safeParse(value);
    const id = (value as { orderId?: unknown } | null)?.orderId;
    const ident = typeof id === 'string' ? { orderId: id } : {};
    if (!parsed.success) errors.push({ row: i + 1, ...ident, code: 'VALIDATION', errors: issuesOf(parsed.error) });
    else if (seen.has(parsed.data.orderId))
      errors.push({
        row: i + 1,
        ...ident,
        code: 'CONFLICT',
        errors: [{ path: 'orderId', message: 'appears twice in this request' }],
      });
    else {
      seen.add(parsed.data.orderId);
      good.push(parsed.data);
    }
  });
  const recorded = good.length > 0 ? await recordOrders(ctx, { source: 'api', orders: good }) : [];
  const created = recorded.filter((r) => r.created).length;
  return { received: input.rows.length, created, existing: recorded.length - created, rejected: errors.length, errors };
}
