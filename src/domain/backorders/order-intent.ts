/**
 * What a platform's order webhook asks of the backorder book, whatever the platform.
 * `register` items carry either the ordered quantity (`shortfallOf: 'stock'`: only what the known
 * stock does not cover is on backorder — Shopify) or the backordered quantity itself (`'given'` —
 * WooCommerce's `Backordered` item meta).
 */
export type OrderIntent =
  | {
      kind: 'register';
      orderId: string;
      orderLabel?: string;
      email: string;
      customerName?: string;
      locale?: string;
      orderedAt?: string;
      shortfallOf: 'stock' | 'given';
      items: { sku: string; quantity: number }[];
    }
  | { kind: 'close'; orderId: string; status: 'cancelled' | 'fulfilled'; skus?: string[]; reason: string }
  | { kind: 'ignore'; why: string };
