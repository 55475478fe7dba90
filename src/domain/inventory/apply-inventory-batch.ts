import type { Deps } from '../../deps.js';
import type { InventorySource } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { applyInventoryChanges } from './apply-inventory-changes.js';
import { InventoryRow } from './inventory-input.js';

export const MAX_BATCH_ROWS = 10_000;

type BatchRowError = { row: number; line?: number; sku?: string; errors: { path: string; message: string }[] };
export type BatchSummary = {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: BatchRowError[];
};

/**
 * Validates each row on its own and applies the good ones in one transaction (bad rows are reported
 * with their row number, never applied, and never stop the others).
 * @throws AppError PAYLOAD_TOO_LARGE above 10,000 rows (nothing applied).
 */
export async function applyInventoryBatch(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { rows: { row: number; line?: number; value: unknown }[]; source: InventorySource },
): Promise<BatchSummary> {
  const { rows, source } = input;
  if (rows.length > MAX_BATCH_ROWS) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `At most ${MAX_BATCH_ROWS} rows per request (got ${rows.length}); split the batch.`,
    );
  }
  const errors: BatchRowError[] = [];
  const good: InventoryRow[] = [];
  for (const { row, line, value } of rows) {
    const parsed = InventoryRow.safeParse(value);
    if (parsed.success) {
      good.push(parsed.data);
      continue;
    }
    // Echoed back bounded: a row error is no place for a megabyte of someone's SKU.
    const sku =
      typeof (value as { sku?: unknown })?.sku === 'string'
        ? Array.from((value as { sku: string }).sku)
            .slice(0, 200)
            .join('')
        : undefined;
    errors.push({
      row,
      ...(line === undefined ? {} : { line }),
      ...(sku === undefined ? {} : { sku }),
      errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const applied = await applyInventoryChanges(deps, { changes: good, source });
  const count = (o: string) => applied.filter((a) => a.outcome === o).length;
  return {
    received: rows.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    rejected: errors.length,
    errors,
  };
}
