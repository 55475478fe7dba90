import { sql } from 'drizzle-orm';
import { check, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The shop's branding, one row (id = 1): used by every email (as variables beside the recipient's)
 * and every hosted page. A null column means "not set": emails fall back to SHOP_NAME and the defaults.
 */
export const branding = pgTable(
  'branding',
  {
    id: smallint('id').primaryKey().default(1),
    shopName: text('shop_name'),
    logoUrl: text('logo_url'),
    /** `#rrggbb`. */
    accentColor: text('accent_color'),
    footerText: text('footer_text'),
    privacyText: text('privacy_text'),
    shopUrl: text('shop_url'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: text('updated_by'),
  },
  (t) => [check('branding_single_row', sql`${t.id} = 1`)],
);

export type Branding = typeof branding.$inferSelect;

/**
 * An uploaded logo (PNG, JPEG or WebP, ≤ 512 KB), one row (id = 1), served at `/brand/logo` with an
 * ETag. Base64 text rather than bytea: the two drivers (postgres.js, PGlite) hand bytea back as
 * different types, and 512 KB is small enough that the third more does not matter.
 */
export const brandingLogo = pgTable(
  'branding_logo',
  {
    id: smallint('id').primaryKey().default(1),
    contentType: text('content_type').notNull(),
    dataBase64: text('data_base64').notNull(),
    /** sha256 of the bytes (hex): the ETag, and the `?v=` that makes the URL change with the image. */
    sha256: text('sha256').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: text('updated_by'),
  },
  (t) => [check('branding_logo_single_row', sql`${t.id} = 1`)],
);

export type BrandingLogo = typeof brandingLogo.$inferSelect;
