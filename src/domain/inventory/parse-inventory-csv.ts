import { parse } from 'csv-parse/sync';
import { AppError } from '../../errors.js';

/** Header spellings we accept (case, `_`, `-` and spaces ignored) → field name. Unknown columns are ignored. */
const HEADERS: Record<string, string> = {
  sku: 'sku',
  quantity: 'quantity',
  qty: 'quantity',
  name: 'name',
  url: 'url',
  imageurl: 'imageUrl',
  eta: 'eta',
  etareason: 'etaReason',
  backorderable: 'backorderable',
  reason: 'reason',
};
/** Columns where an empty cell means "clear it" (null); elsewhere an empty cell means "not given". */
const NULLABLE = new Set(['url', 'imageUrl', 'eta', 'etaReason']);

export type CsvRecord = { row: number; line: number; value: Record<string, unknown> };

/**
 * Parses inventory CSV (header row first, RFC 4180 quoting, optional BOM) into loosely typed row
 * objects for `applyInventoryBatch` to validate: integers and booleans are converted when they look
 * like one, anything else is passed through so validation can name the bad cell.
 * `row` counts data rows from 1; `line` is the line in the file where the row ended.
 * @throws AppError VALIDATION when the CSV cannot be parsed at all or has no `sku` column.
 */
export function parseInventoryCsv(text: string): { records: CsvRecord[]; columns: string[] } {
  let raw: { record: string[]; info: { lines: number } }[];
  try {
    raw = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as never;
  } catch (err) {
    throw new AppError('VALIDATION', `The CSV cannot be parsed: ${(err as Error).message}`, { cause: err });
  }
  const [header, ...body] = raw;
  if (!header) return { records: [], columns: [] };
  const columns = header.record.map((h) => HEADERS[h.toLowerCase().replace(/[\s_-]/g, '')] ?? '');
  if (!columns.includes('sku')) throw new AppError('VALIDATION', 'The CSV header row must contain a sku column.');
  const records = body.map(({ record, info }, i) => {
    const value: Record<string, unknown> = {};
    columns.forEach((field, c) => {
      if (!field) return;
      const cell = record[c];
      if (cell === undefined || cell === '') {
        if (NULLABLE.has(field) && cell === '') value[field] = null;
        return;
      }
      if (field === 'quantity' && /^-?\d+$/.test(cell)) value[field] = Number(cell);
      else if (field === 'backorderable' && /^(true|false|1|0|yes|no)$/i.test(cell))
        value[field] = /^(true|1|yes)$/i.test(cell);
      else value[field] = cell;
    });
    return { row: i + 1, line: info.lines, value };
  });
  return { records, columns: columns.filter(Boolean) };
}
