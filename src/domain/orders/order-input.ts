import { z } from 'zod';
import { canonicalMailbox, EmailAddress } from '../validation/email.js';
import { identifier, Sku, Timestamp } from '../validation/text.js';
import { isCurrency, toMinorUnits } from './money.js';

/** Lines per order: a shop order, not a catalogue. */
const MAX_ORDER_LINES = 500;

const Line = z.object({
  sku: Sku,
  quantity: z
    .number({ message: 'must be a whole number > 0' })
    .int('must be a whole number > 0')
    .positive('must be a whole number > 0')
    .max(1_000_000),
  /** Decimal text ("19.99") or a JSON number, in the order's currency. */
  unitPrice: z.union([z.string().max(40), z.number()], { message: 'must be a decimal number (e.g. "19.99")' }),
});

/**
 * An order placed in the shop (SPEC: POST /api/v1/orders), parsed into exact minor units. Every
 * problem names its line (`lines.1.unitPrice`): a negative or non-numeric quantity or price, more
 * decimals than the currency has, an unknown ISO 4217 code.
 */
export const OrderInput = z
  .object({
    orderId: identifier(200),
    email: EmailAddress,
    currency: z
      .string()
      .trim()
      .transform((c) => c.toUpperCase())
      .refine(isCurrency, 'must be an ISO 4217 currency code (e.g. EUR)'),
    lines: z.array(Line).min(1).max(MAX_ORDER_LINES),
    placedAt: Timestamp.optional(),
  })
  .transform((o, ctx) => {
    const lines = o.lines.map((l, i) => {
      const price = toMinorUnits(l.unitPrice, o.currency);
      if (!price.ok) ctx.addIssue({ code: 'custom', path: ['lines', i, 'unitPrice'], message: price.message });
      return { lineNo: i + 1, sku: l.sku, quantity: l.quantity, unitPriceMinor: price.ok ? price.minor : 0 };
    });
    return {
      orderId: o.orderId,
      mailbox: canonicalMailbox(o.email),
      currency: o.currency,
      placedAt: o.placedAt,
      lines,
    };
  });
export type OrderInput = z.output<typeof OrderInput>;

/** Zod issues as the API's `details`: `[{ path: 'lines.1.unitPrice', message }]`. */
export const issuesOf = (e: z.ZodError) => e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
