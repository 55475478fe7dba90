import { z } from 'zod';
import { CalendarDate, HttpUrl, Sku, safeText } from '../validation/text.js';

/** Re-exported so intake code keeps one import; the rules live in domain/validation. */
export { Sku } from '../validation/text.js';

/** The fields of one inventory update (SPEC: PUT /api/v1/inventory/{sku}). */
export const InventoryInput = z.object({
  quantity: z.number().int().min(0).max(2_147_483_647),
  name: safeText({ min: 1, max: 500, collapse: true }).optional(),
  url: HttpUrl.nullable().optional(),
  imageUrl: HttpUrl.nullable().optional(),
  eta: CalendarDate.nullable().optional(),
  etaReason: safeText({ max: 500, collapse: true }).nullable().optional(),
  backorderable: z.boolean().optional(),
  reason: safeText({ min: 1, max: 50 }).optional(),
});
export type InventoryInput = z.infer<typeof InventoryInput>;

/** One row of a bulk request: an update plus its SKU. */
export const InventoryRow = InventoryInput.extend({ sku: Sku });
export type InventoryRow = z.infer<typeof InventoryRow>;

/**
 * A change from a webhook or feed mapper, checked by the same field rules as the API before it is
 * applied (quantity optional: a payload may only tell a status or a name).
 */
export const InventoryChangeInput = InventoryInput.partial().extend({ sku: Sku, sourceUpdatedAt: z.date().optional() });

/**
 * What the apply verb takes, whatever the intake path. `undefined` keeps the stored value;
 * `null` clears it. `sourceUpdatedAt` (webhooks, feeds) orders deliveries: an older one is ignored.
 */
export type InventoryChange = {
  sku: string;
  quantity?: number;
  name?: string;
  url?: string | null;
  imageUrl?: string | null;
  eta?: string | null;
  etaReason?: string | null;
  backorderable?: boolean;
  reason?: string | null;
  sourceUpdatedAt?: Date;
};

/** A product as the API shows it. */
export type ProductView = {
  sku: string;
  name: string;
  url: string | null;
  imageUrl: string | null;
  quantity: number;
  backorderable: boolean;
  eta: string | null;
  etaReason: string | null;
  updatedAt: string;
};
