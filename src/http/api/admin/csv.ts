import { stringify } from 'csv-stringify/sync';
import type { Context } from 'hono';

/** The caller asked for CSV: `Accept: text/csv` (API clients) or `?format=csv` (a download link). */
export const wantsCsv = (c: Context) =>
  c.req.query('format') === 'csv' || /\btext\/csv\b/.test(c.req.header('accept') ?? '');

/**
 * A CSV download (RFC 4180 through csv-stringify, header row, UTF-8 with BOM so spreadsheet apps
 * read umlauts right). Cells starting with = + - @ are prefixed with ' so a product name cannot run
 * as a formula when the file is opened (OWASP "CSV injection").
 */
export function csvResponse(
  c: Context,
  filename: string,
  columns: { key: string; header: string }[],
  records: Record<string, unknown>[],
): Response {
  const safe = records.map((r) => {
    const out: Record<string, unknown> = {};
    for (const { key } of columns) {
      const v = r[key];
      out[key] = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    }
    return out;
  });
  const body = '\uFEFF' + stringify(safe, { header: true, columns, cast: { boolean: (b) => (b ? 'true' : 'false') } });
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  });
}
