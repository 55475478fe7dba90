import { z } from 'zod';

/** `YYYY-MM-DD` that is a real calendar date (2026-02-30 is rejected). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'must be a real calendar date');

/** Any printable text: shops use `/`, spaces and `#` in SKUs (in a URL path they arrive percent-encoded). */
export const Sku = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

const Url = z.url({ protocol: /^https?$/ }).max(2000);

/** The fields of one inventory update (SPEC: PUT /api/v1/inventory/{sku}). */
export const InventoryInput = z.object({
  quantity: z.number().int().min(0).max(2_147_483_647),
  name: z.string().trim().min(1).max(500).optional(),
  url: Url.nullable().optional(),
  imageUrl: Url.nullable().optional(),
  eta: IsoDate.nullable().optional(),
  etaReason: z.string().trim().max(500).nullable().optional(),
  backorderable: z.boolean().optional(),
  reason: z.string().trim().min(1).max(50).optional(),
});
export type InventoryInput = z.infer<typeof InventoryInput>;

/** One row of a bulk request: an update plus its SKU. */
export const InventoryRow = InventoryInput.extend({ sku: Sku });
export type InventoryRow = z.infer<typeof InventoryRow>;

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
