import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { branding, brandingLogo } from '../../db/schema/index.js';
import type { BrandingSettings } from './branding-input.js';
import { logoUrlFor } from './logo-image.js';

/**
 * The shop's branding for emails and pages: the console's settings row, with SHOP_NAME as the shop
 * name when none is set, and the uploaded logo when no logo URL is set. One primary-key read; callers that render many messages read it once per pass.
 */
export async function getBranding(deps: Pick<Deps, 'db' | 'config'>): Promise<BrandingSettings> {
  const [found] = await deps.db
    .select({ b: branding, logoSha: brandingLogo.sha256 })
    .from(branding)
    .leftJoin(brandingLogo, eq(brandingLogo.id, branding.id))
    .where(eq(branding.id, 1))
    .limit(1);
  const row = found?.b;
  const uploaded = found?.logoSha ? logoUrlFor(deps.config.publicBaseUrl, found.logoSha) : null;
  return {
    shopName: row?.shopName || deps.config.shopName,
    logoUrl: row?.logoUrl ?? uploaded,
    logoSource: row?.logoUrl ? 'url' : uploaded ? 'upload' : null,
    accentColor: row?.accentColor ?? null,
    footerText: row?.footerText ?? null,
    privacyText: row?.privacyText ?? null,
    shopUrl: row?.shopUrl ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}
