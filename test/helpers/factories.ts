import { rows as dbRows } from '../../src/db/client.js';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { products, type NewProduct } from '../../src/db/schema/index.js';
import type { Deps } from '../../src/deps.js';
import type { TestDeps } from './deps.js';

export const uid = () => randomBytes(4).toString('hex');

/**
 * THE product factory: a unique product row for one test, out of stock unless `quantity` says otherwise,
 * with a product page URL on the shop unless `url` says otherwise (null: none).
 */
export async function createProduct(
  deps: Pick<Deps, 'db'>,
  overrides: Partial<NewProduct> = {},
): Promise<NewProduct & { sku: string; name: string }> {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<NewProduct>;
  const sku = given.sku ?? `SKU-${uid().toUpperCase()}`;
  const row = {
    sku,
    name: `Product ${sku}`,
    quantity: 0,
    ...given,
    url: overrides.url === undefined ? `https://shop.example/p/${sku}` : overrides.url,
  };
  await deps.db.insert(products).values(row);
  return row;
}

/** `count` active subscriptions confirmed one minute apart (index 0 is the oldest). */
export async function createSubscribers(
  deps: TestDeps,
  sku: string,
  count: number,
  options: { locale?: string; name?: string; prefix?: string } = {},
): Promise<{ id: number; email: string }[]> {
  const out: { id: number; email: string }[] = [];
  const base = deps.clock.now().getTime() - 24 * 3600_000;
  for (let i = 0; i < count; i++) {
    const email = `${options.prefix ?? 'sub'}-${uid()}-${i}@mail.example`;
    const at = new Date(base + i * 60_000).toISOString();
    const rows = await dbRows<{ id: number }>(
      deps.db,
      sql`
      insert into subscriptions (email, email_normalized, sku, locale, name, status, created_at, confirmed_at)
      values (${email}, ${email}, ${sku}, ${options.locale ?? null}, ${options.name ?? null}, 'active', ${at}::timestamptz, ${at}::timestamptz)
      returning id`,
    );
    out.push({ id: rows[0]!.id, email });
  }
  return out;
}

export async function setQuantity(deps: TestDeps, sku: string, quantity: number): Promise<void> {
  await dbRows(deps.db, sql`update products set quantity = ${quantity} where sku = ${sku}`);
}

/** A restock event as the scan would record it (with the inventory event it points at). */
export async function createRestockEvent(deps: TestDeps, sku: string, quantity: number): Promise<number> {
  const at = deps.clock.now().toISOString();
  const rows = await dbRows<{ id: number }>(
    deps.db,
    sql`
    with ie as (
      insert into inventory_events (sku, old_quantity, new_quantity, reason, source, received_at)
      values (${sku}, 0, ${quantity}, 'restock', 'api', ${at}::timestamptz) returning id
    )
    insert into restock_events (sku, quantity, detected_at, inventory_event_id, next_wave_at)
    select ${sku}, ${quantity}, ${at}::timestamptz, id, ${at}::timestamptz from ie returning id`,
  );
  await setQuantity(deps, sku, quantity);
  return rows[0]!.id;
}

export async function createEtaEvent(
  deps: TestDeps,
  sku: string,
  oldEta: string | null,
  newEta: string,
  reason: string | null,
): Promise<number> {
  const at = deps.clock.now().toISOString();
  const rows = await dbRows<{ id: number }>(
    deps.db,
    sql`
    with ie as (
      insert into inventory_events (sku, old_quantity, new_quantity, old_eta, new_eta, eta_reason, source, received_at)
      values (${sku}, 0, 0, ${oldEta}, ${newEta}, ${reason}, 'api', ${at}::timestamptz) returning id
    )
    insert into eta_events (sku, old_eta, new_eta, reason, detected_at, inventory_event_id)
    select ${sku}, ${oldEta}, ${newEta}, ${reason}, ${at}::timestamptz, id from ie returning id`,
  );
  return rows[0]!.id;
}

export async function deliveriesOf(deps: TestDeps, where: { templateKey: string; eventId: number }) {
  return dbRows<{ id: number; recipient: string; status: string; attempts: number; subscription_id: number }>(
    deps.db,
    sql`
    select id, recipient, status, attempts, subscription_id from deliveries
    where template_key = ${where.templateKey} and ref_id = ${where.eventId} order by id`,
  );
}
