import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { branding } from '../../db/schema/index.js';
import type { BrandingSettings } from './branding-input.js';

/**
 * The shop's branding for emails and pages: the console's settings row, with SHOP_NAME as the shop
 * name when none is set. One primary-key read; callers that render many messages read it once per pass.
 */
export async function getBranding(deps: Pick<Deps, 'db' | 'config'>): Promise<BrandingSettings> {
  const [row] = await deps.db.select().from(branding).where(eq(branding.id, 1)).limit(1);
  return {
    shopName: row?.shopName || deps.config.shopName,
    logoUrl: row?.logoUrl ?? null,
    accentColor: row?.accentColor ?? null,
    footerText: row?.footerText ?? null,
    privacyText: row?.privacyText ?? null,
    shopUrl: row?.shopUrl ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}
