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
