import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rows } from '../../db/client.js';

/**
 * Order lines on backorder of one address, when the backorders feature is installed (its table may
 * not exist yet: this module works before and after). Rows come back as the table has them.
 */
export async function backorderLines(
  ctx: { db: Db },
  input: { normalizedEmail: string },
): Promise<Record<string, unknown>[]> {
  const { db } = ctx;
  const { normalizedEmail } = input;
  const column = await emailColumn(db);
  if (!column) return [];
  const found = await rows<{ line: Record<string, unknown> }>(
    db,
    sql`select row_to_json(b) as line from backorders b where lower(b.${sql.identifier(column)}) = ${normalizedEmail} limit 1000`,
  );
  return found.map((r) => (typeof r.line === 'string' ? (JSON.parse(r.line) as Record<string, unknown>) : r.line));
}

/** Personal columns of `backorders` that erasure clears, when they exist. */
const BACKORDER_PERSONAL_COLUMNS = ['email', 'email_normalized', 'customer_email', 'customer_name', 'name', 'phone'];

/** The text columns of `backorders` (empty when the table does not exist). */
async function backorderColumns(db: Db): Promise<{ name: string; nullable: boolean }[]> {
  const found = await rows<{ column_name: string; is_nullable: string }>(
    db,
    sql`select column_name, is_nullable from information_schema.columns
        where table_schema = current_schema() and table_name = 'backorders' and data_type in ('text', 'character varying')`,
  );
  return found.map((r) => ({ name: r.column_name, nullable: r.is_nullable === 'YES' }));
}

async function emailColumn(db: Db): Promise<string | undefined> {
  const names = new Set((await backorderColumns(db)).map((c) => c.name));
  return ['email_normalized', 'email', 'customer_email'].find((n) => names.has(n));
}

/** Anonymises the personal columns of one address's order lines. Returns how many lines. */
export async function eraseBackorderLines(ctx: { db: Db }, input: { normalizedEmail: string }): Promise<number> {
  const { db } = ctx;
  const { normalizedEmail } = input;
  const columns = await backorderColumns(db);
  const key = await emailColumn(db);
  if (!key) return 0;
  const personal = columns.filter((c) => BACKORDER_PERSONAL_COLUMNS.includes(c.name));
  const sets = sql.join(
    personal.map((c) => sql`${sql.identifier(c.name)} = ${c.nullable ? null : ''}`),
    sql`, `,
  );
  const updated = await rows<{ n: number }>(
    db,
    sql`with u as (update backorders set ${sets} where lower(${sql.identifier(key)}) = ${normalizedEmail} returning 1) select count(*)::int as n from u`,
  );
  return updated[0]?.n ?? 0;
}
