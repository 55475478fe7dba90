import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { OrderInput } from './order-input.js';
import { recordOrders } from './record-orders.js';

const Id = z.union([z.number(), z.string()]);
const Price = z.union([z.string(), z.number()]);
/** Shopify's Order resource (orders/create): line `price` is the unit price as text, `currency` the order's. */
const ShopifyOrder = z.object({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  email: z.string().nullish(),
  contact_email: z.string().nullish(),
  created_at: z.string().nullish(),
  currency: z.string(),
  customer: z.object({ email: z.string().nullish() }).nullish(),
  line_items: z.array(z.object({ sku: z.string().nullish(), quantity: z.number(), price: Price })),
});
/** WooCommerce's REST v3 Order (order.created): `currency`, line `price` (unit price, a number). */
const WooOrder = z.object({
  id: Id,
  currency: z.string(),
  date_created_gmt: z.string().nullish(),
  billing: z.object({ email: z.string().nullish() }).nullish(),
  line_items: z.array(z.object({ sku: z.string().nullish(), quantity: z.number(), price: Price })),
});

type Mapped = { order: unknown } | { why: string };

function fromShopify(payload: unknown): Mapped {
  const p = ShopifyOrder.safeParse(payload);
  if (!p.success) return { why: 'not a Shopify order with a currency and line prices' };
  const o = p.data;
  // Shopify ids can exceed 2^53; the GraphQL id carries the exact digits (as the backorder mapping does).
  const orderId = (o.admin_graphql_api_id ? /\/(\d+)$/.exec(o.admin_graphql_api_id)?.[1] : undefined) ?? String(o.id);
  const lines = o.line_items
    .filter((l) => l.sku?.trim() && l.quantity > 0)
    .map((l) => ({ sku: l.sku!.trim(), quantity: l.quantity, unitPrice: l.price }));
  const email = o.email || o.contact_email || o.customer?.email;
  return {
    order: { orderId, email, currency: o.currency, lines, ...(o.created_at ? { placedAt: o.created_at } : {}) },
  };
}

function fromWoo(payload: unknown): Mapped {
  const p = WooOrder.safeParse(payload);
  if (!p.success) return { why: 'not a WooCommerce order with a currency and line prices' };
  const o = p.data;
  const lines = o.line_items
    .filter((l) => l.sku?.trim() && l.quantity > 0)
    .map((l) => ({ sku: l.sku!.trim(), quantity: l.quantity, unitPrice: l.price }));
  const placedAt = o.date_created_gmt ? `${o.date_created_gmt.replace(/Z?$/, '')}Z` : undefined;
  return {
    order: {
      orderId: String(o.id),
      email: o.billing?.email,
      currency: o.currency,
      lines,
      ...(placedAt ? { placedAt } : {}),
    },
  };
}

/**
 * A verified order webhook feeds the orders record too (besides the backorder book): Shopify
 * `orders/create`, WooCommerce `order.created`. Other topics, and orders that do not parse (no email,
 * no SKU lines, an unknown currency), are skipped with a reason: the backorder side must not fail
 * because of them. Idempotent on the order id, like POST /api/v1/orders.
 */
export async function recordPlatformOrder(
  ctx: Pick<Deps, 'db' | 'clock' | 'config' | 'log'>,
  input: { provider: 'shopify' | 'woocommerce'; topic: string; payload: unknown },
): Promise<{ recorded: boolean; why?: string }> {
  const wanted = input.provider === 'shopify' ? 'orders/create' : 'order.created';
  if (input.topic !== wanted) return { recorded: false, why: `topic ${input.topic || '(none)'}` };
  const mapped = input.provider === 'shopify' ? fromShopify(input.payload) : fromWoo(input.payload);
  if ('why' in mapped) return { recorded: false, why: mapped.why };
  const parsed = OrderInput.safeParse(mapped.order);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    ctx.log.info({ provider: input.provider, why }, 'order webhook not recorded for results');
    return { recorded: false, why };
  }
  const [r] = await recordOrders(ctx, { source: input.provider, orders: [parsed.data] });
  return { recorded: r?.created ?? false };
}
