import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { OrderIntent } from './order-intent.js';

const Id = z.union([z.number(), z.string()]);
const LineItem = z.object({
  id: Id.nullish(),
  variant_id: Id.nullish(),
  sku: z.string().nullish(),
  quantity: z.number().int().min(0),
});
/** The parts of Shopify's Order resource (orders/create, orders/cancelled) we use. */
const ShopifyOrder = z.object({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  contact_email: z.string().nullish(),
  created_at: z.string().nullish(),
  /** Set on a cancelled order (Order resource): the signed proof of a cancellation. */
  cancelled_at: z.string().nullish(),
  customer_locale: z.string().nullish(),
  customer: z
    .object({ first_name: z.string().nullish(), last_name: z.string().nullish(), email: z.string().nullish() })
    .nullish(),
  line_items: z.array(LineItem),
});
/** The Fulfillment resource (fulfillments/create). */
const ShopifyFulfillment = z.object({ order_id: Id, status: z.string().nullish(), line_items: z.array(LineItem) });

const invalid = (what: string, error: z.ZodError) =>
  new AppError('VALIDATION', `The Shopify payload is not ${what}.`, {
    details: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });

/** Shopify ids can exceed 2^53; the GraphQL id carries the exact digits as text. */
const exactId = (id: string | number, gid?: string | null) =>
  (gid ? /\/(\d+)$/.exec(gid)?.[1] : undefined) ?? String(id);

const skuItems = (items: z.infer<typeof LineItem>[]) =>
  items
    .filter((i) => i.sku && i.sku.trim() !== '' && i.quantity > 0)
    .map((i) => ({ sku: i.sku!.trim(), quantity: i.quantity }));

/**
 * Maps a verified Shopify webhook (`X-Shopify-Topic`) to an intent:
 * `orders/create` → register the SKU line items (the shortfall against known stock is decided by
 * the applier); `orders/cancelled` → cancel every line of the order; `fulfillments/create` with
 * status success (or none) → fulfil the fulfilled SKUs. Other topics are acknowledged and ignored.
 * The topic header is NOT covered by Shopify's HMAC (only the body is), so no action rests on it
 * alone: a cancellation needs `cancelled_at` in the signed body (a captured orders/create body
 * re-sent as orders/cancelled is ignored), and a body that says it is cancelled never registers.
 * @throws AppError VALIDATION when the payload does not fit its topic.
 */
export function shopifyOrderIntent(topic: string | undefined, payload: unknown): OrderIntent {
  if (topic === 'orders/create' || topic === 'orders/cancelled') {
    const parsed = ShopifyOrder.safeParse(payload);
    if (!parsed.success) throw invalid('an order', parsed.error);
    const o = parsed.data;
    const orderId = exactId(o.id, o.admin_graphql_api_id);
    if (topic === 'orders/cancelled') {
      if (!o.cancelled_at) return { kind: 'ignore', why: 'orders/cancelled without cancelled_at in the signed body' };
      return { kind: 'close', orderId, status: 'cancelled', reason: 'order cancelled in Shopify' };
    }
    if (o.cancelled_at) return { kind: 'ignore', why: 'the order is cancelled (cancelled_at set)' };
    const email = o.email || o.contact_email || o.customer?.email;
    if (!email) return { kind: 'ignore', why: 'order without an email address' };
    const name = [o.customer?.first_name, o.customer?.last_name].filter(Boolean).join(' ');
    return {
      kind: 'register',
      orderId,
      ...(o.name ? { orderLabel: o.name } : {}),
      email,
      ...(name ? { customerName: name } : {}),
      ...(o.customer_locale ? { locale: o.customer_locale } : {}),
      ...(o.created_at ? { orderedAt: o.created_at } : {}),
      shortfallOf: 'stock',
      items: skuItems(o.line_items),
    };
  }
  if (topic === 'fulfillments/create') {
    const parsed = ShopifyFulfillment.safeParse(payload);
    if (!parsed.success) throw invalid('a fulfillment', parsed.error);
    const f = parsed.data;
    if (f.status && !['success', 'open', 'pending'].includes(f.status))
      return { kind: 'ignore', why: `fulfillment status ${f.status}` };
    return {
      kind: 'close',
      orderId: String(f.order_id),
      status: 'fulfilled',
      skus: skuItems(f.line_items).map((i) => i.sku),
      reason: 'fulfilled in Shopify',
    };
  }
  return { kind: 'ignore', why: `topic ${topic ?? '(none)'} is not handled here` };
}
