import { z } from 'zod';
import type { Backorder, BackorderStatus } from '../../db/schema/index.js';
import { Sku } from '../inventory/inventory-input.js';
import { CalendarDate } from '../validation/text.js';

/** A calendar date in the range the `backorders` check constraints accept. */
/** A calendar date in the shared range (2000-01-01..2100-12-31, inside the `backorders` check constraints). */
const BackorderDate = CalendarDate;

const Timestamp = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 timestamp or YYYY-MM-DD')
  .refine((v) => v.slice(0, 10) >= '2000-01-01' && v.slice(0, 10) <= '2200-12-31', 'must be between 2000 and 2200');

/**
 * Text that may reach PostgreSQL and a customer's email: trimmed, bounded, no control characters (NUL
 * is a 500 in PostgreSQL `text`), no lone UTF-16 surrogates (not encodable as UTF-8).
 */
const safeText = (max: number, min = 0) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
    .refine(
      (v) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v),
      'must be well-formed Unicode',
    );

export const OrderId = safeText(200, 1);

/** One order line on backorder (SPEC: POST /api/v1/backorders). */
export const BackorderInput = z.object({
  orderId: OrderId,
  /** What the customer knows the order as, e.g. `#1001` (default: orderId). */
  orderLabel: safeText(100, 1).optional(),
  sku: Sku,
  email: safeText(254, 3),
  quantity: z.number().int().min(1).max(1_000_000),
  promisedDate: BackorderDate.optional(),
  orderedAt: Timestamp.optional(),
  locale: z
    .string()
    .trim()
    .max(35)
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'must be a language tag like en or de-DE')
    .optional(),
  customerName: safeText(200).optional(),
  notify: z.boolean().optional(),
  /** The buyer applied to the seller for credit to pay: a 50-day applicable time (16 CFR 435.2(a)(1)). */
  creditApplied: z.boolean().optional(),
});
export type BackorderInput = z.infer<typeof BackorderInput>;

const ShopStatus = z.enum(['open', 'allocated', 'fulfilled', 'cancelled']);

/**
 * SPEC: PATCH /api/v1/backorders/{orderId}/{sku}. `promisedDate` is the line's revised ship date
 * (what the customer is told now; null = the shop cannot give one); the original promise stays on
 * the line because the consent deadlines of 16 CFR 435.2 count from it.
 */
export const BackorderPatch = z
  .object({
    status: ShopStatus.optional(),
    promisedDate: BackorderDate.nullable().optional(),
    reason: safeText(500, 1).optional(),
    /** The shop made the refund of a cancelled (or cancel_due) line at this time. */
    refundedAt: Timestamp.optional(),
  })
  .refine(
    (p) => p.status !== undefined || p.promisedDate !== undefined || p.refundedAt !== undefined,
    'send status, promisedDate and/or refundedAt',
  );
export type BackorderPatch = z.infer<typeof BackorderPatch>;

/** Who changed a line (recorded in `backorder_events.source`). */
export type BackorderSource = 'api' | 'bulk' | 'shopify' | 'woocommerce' | 'customer' | 'system';

/** A line as the API shows it. */
export type BackorderView = {
  orderId: string;
  orderLabel: string;
  sku: string;
  quantity: number;
  status: BackorderStatus;
  email: string;
  customerName: string | null;
  locale: string | null;
  orderedAt: string;
  promisedDate: string;
  expectedDate: string | null;
  expectedReason: string | null;
  consentDeadline: string | null;
  awaitingAnswer: boolean;
  customerAnswer: string | null;
  unreachable: boolean;
  notify: boolean;
  creditApplied: boolean;
  /** The date the line may ship by without asking the customer again (null = they agreed to wait without a date). */
  shipBy: string | null;
  refundDueBy: string | null;
  refundedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export function toBackorderView(b: Backorder): BackorderView {
  return {
    orderId: b.orderId,
    orderLabel: b.orderLabel ?? b.orderId,
    sku: b.sku,
    quantity: b.quantity,
    status: b.status,
    email: b.email,
    customerName: b.customerName,
    locale: b.locale,
    orderedAt: b.orderedAt.toISOString(),
    promisedDate: b.promisedDate,
    expectedDate: b.expectedDate,
    expectedReason: b.expectedReason,
    consentDeadline: b.consentDeadline,
    awaitingAnswer: b.awaitingAnswer,
    customerAnswer: b.customerAnswer,
    unreachable: b.unreachable,
    notify: b.notify,
    creditApplied: b.creditApplied,
    shipBy: b.consentedIndefinite ? null : (b.shipBy ?? b.consentDeadline ?? b.noticedDate ?? b.promisedDate),
    refundDueBy: b.refundDueBy,
    refundedAt: b.refundedAt?.toISOString() ?? null,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

const DAY_MS = 86_400_000;
/** `date` + `days` as a calendar date (UTC arithmetic: no daylight-saving day is 23 hours long). */
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
/** Whole days from `b` to `a` (positive when `a` is later). */
export const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY_MS);
