import { sql, type SQL } from 'drizzle-orm';

/**
 * `canonicalMailbox` (validation/email.ts) as a SQL expression over an already normalized address
 * (`deliveries.recipient_normalized`): the `+tag` cut from the first `+` that is not the first
 * character, and for gmail.com / googlemail.com the dots of the local part dropped and the domain
 * made gmail.com. test/domain/orders/orders.test.ts checks it against the TypeScript rule.
 */
export function canonicalMailboxSql(normalized: SQL): SQL {
  const local = sql`regexp_replace(split_part(${normalized}, '@', 1), '^([^+]+)\\+.*$', '\\1')`;
  const domain = sql`split_part(${normalized}, '@', 2)`;
  return sql`(case when ${domain} in ('gmail.com', 'googlemail.com') then replace(${local}, '.', '') || '@gmail.com'
    else ${local} || '@' || ${domain} end)`;
}
