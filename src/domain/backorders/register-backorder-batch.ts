import { AppError } from '../../errors.js';
import { BackorderInput } from './backorder-input.js';
import { registerBackorders } from './register-backorders.js';

export const MAX_BACKORDER_ROWS = 10_000;

type RowError = {
  row: number;
  orderId?: string;
  sku?: string;
  code: string;
  errors: { path: string; message: string }[];
};
export type BackorderBatchSummary = {
  received: number;
  created: number;
  existing: number;
  rejected: number;
  errors: RowError[];
};

/**
 * Validates each row on its own and registers the good ones in one transaction; bad rows (shape,
 * address, unknown SKU) are reported with their row number (from 1) and never stop the others.
 * @throws AppError PAYLOAD_TOO_LARGE above 10,000 rows (nothing applied).
 */
export async function registerBackorderBatch(
  deps: Parameters<typeof registerBackorders>[0],
  input: { rows: unknown[] },
): Promise<BackorderBatchSummary> {
  const { rows } = input;
  if (rows.length > MAX_BACKORDER_ROWS)
    throw new AppError('PAYLOAD_TOO_LARGE', `At most ${MAX_BACKORDER_ROWS} rows per request (got ${rows.length}).`);
  const errors: RowError[] = [];
  const good: { row: number; input: BackorderInput }[] = [];
  const ident = (v: unknown) => {
    const o = (v ?? {}) as { orderId?: unknown; sku?: unknown };
    return {
      ...(typeof o.orderId === 'string' ? { orderId: o.orderId } : {}),
      ...(typeof o.sku === 'string' ? { sku: o.sku } : {}),
    };
  };
  rows.forEach((value, i) => {
    const parsed = BackorderInput.safeParse(value);
    if (parsed.success) good.push({ row: i + 1, input: parsed.data });
    else
      errors.push({
        row: i + 1,
        ...ident(value),
        code: 'VALIDATION',
        errors: parsed.error.issues.map((x) => ({ path: x.path.join('.'), message: x.message })),
      });
  });
  const results = await registerBackorders(deps, { lines: good.map((g) => g.input), source: 'bulk' });
  let created = 0;
  let existing = 0;
  results.forEach((r, i) => {
    const g = good[i]!;
    if (r.ok) r.created ? (created += 1) : (existing += 1);
    else errors.push({ row: g.row, orderId: g.input.orderId, sku: g.input.sku, code: r.code, errors: r.details });
  });
  errors.sort((a, b) => a.row - b.row);
  return { received: rows.length, created, existing, rejected: errors.length, errors };
}
