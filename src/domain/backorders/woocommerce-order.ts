import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { OrderIntent } from './order-intent.js';

const Meta = z.object({ key: z.string().nullish(), value: z.unknown(), display_key: z.string().nullish() });
/** The parts of WooCommerce's REST v3 Order (the body of order.created / order.updated) we use. */
const WooOrder = z.object({
  id: z.union([z.number(), z.string()]),
  number: z.union([z.number(), z.string()]).nullish(),
  status: z.string(),
  date_created_gmt: z.string().nullish(),
  date_created: z.string().nullish(),
  billing: z
    .object({ email: z.string().nullish(), first_name: z.string().nullish(), last_name: z.string().nullish() })
    .nullish(),
  line_items: z.array(
    z.object({ sku: z.string().nullish(), quantity: z.number().int().min(0), meta_data: z.array(Meta).nullish() }),
  ),
});

/**
 * WooCommerce records a backordered quantity as order item meta `Backordered` (the key is the
 * *translated* label, e.g. `Lieferrückstand` on a German shop, so the German label is accepted too).
 */
const BACKORDER_KEYS = new Set(['backordered', 'lieferrückstand']);
function backordered(meta: z.infer<typeof Meta>[] | null | undefined): number {
  const m = meta?.find((x) => BACKORDER_KEYS.has((x.key ?? x.display_key ?? '').toLowerCase()));
  const n = Number(typeof m?.value === 'string' || typeof m?.value === 'number' ? m.value : NaN);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * Maps a verified WooCommerce order webhook to an intent: status `cancelled`/`refunded`/`failed`
 * cancels every line of the order, `completed` fulfils them, anything else registers the items
 * carrying a `Backordered` meta for that quantity (idempotent, so order.updated repeats are harmless).
 * Every action comes from the signed body (`status`), never from the unsigned `X-WC-Webhook-Topic`
 * or `X-WC-Webhook-Source` headers.
 * @throws AppError VALIDATION when the payload is not an order.
 */
export function wooOrderIntent(payload: unknown): OrderIntent {
  const parsed = WooOrder.safeParse(payload);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The WooCommerce payload is not an order.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const o = parsed.data;
  const orderId = String(o.id);
  if (['cancelled', 'refunded', 'failed'].includes(o.status))
    return { kind: 'close', orderId, status: 'cancelled', reason: `order ${o.status} in WooCommerce` };
  if (o.status === 'completed')
    return { kind: 'close', orderId, status: 'fulfilled', reason: 'order completed in WooCommerce' };
  const items = o.line_items
    .filter((i) => i.sku && i.sku.trim() !== '')
    .map((i) => ({ sku: i.sku!.trim(), quantity: Math.min(i.quantity, backordered(i.meta_data)) }))
    .filter((i) => i.quantity > 0);
  const email = o.billing?.email;
  if (items.length === 0) return { kind: 'ignore', why: 'no backordered items' };
  if (!email) return { kind: 'ignore', why: 'order without an email address' };
  const name = [o.billing?.first_name, o.billing?.last_name].filter(Boolean).join(' ');
  const created = o.date_created_gmt ? `${o.date_created_gmt.replace(/Z?$/, '')}Z` : (o.date_created ?? undefined);
  return {
    kind: 'register',
    orderId,
    ...(o.number != null ? { orderLabel: `#${o.number}` } : {}),
    email,
    ...(name ? { customerName: name } : {}),
    ...(created ? { orderedAt: created } : {}),
    shortfallOf: 'given',
    items,
  };
}
