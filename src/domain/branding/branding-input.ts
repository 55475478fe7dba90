import { z } from 'zod';

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }));

const text = (max: number) => z.string().trim().max(max);
const nullable = <T extends z.ZodType>(t: T) => t.nullable().optional().transform((v) => (v === '' || v === undefined ? null : v));

/** `#rgb` or `#rrggbb`, stored as lower-case `#rrggbb`. */
const AccentColor = z
  .string()
  .trim()
  .regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex colour like #1d4ed8')
  .transform((v) => (v.length === 4 ? `#${[...v.slice(1)].map((ch) => ch + ch).join('')}` : v).toLowerCase());

/** PUT body: the whole settings row; a missing or empty field means "not set" (the default applies). */
export const BrandingInput = z.object({
  shopName: nullable(text(100)),
  logoUrl: nullable(z.literal('').or(httpUrl)),
  accentColor: nullable(z.literal('').or(AccentColor)),
  footerText: nullable(text(1000)),
  privacyText: nullable(text(2000)),
  shopUrl: nullable(z.literal('').or(httpUrl)),
});
export type BrandingInput = z.input<typeof BrandingInput>;

export type BrandingSettings = {
  /** Never empty: SHOP_NAME when the console has not set one. */
  shopName: string;
  logoUrl: string | null;
  accentColor: string | null;
  footerText: string | null;
  privacyText: string | null;
  shopUrl: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
};

/** Names every email may use besides its own declarations (the sender adds them from branding). */
export const BRANDING_VARIABLES = ['shopName', 'logoUrl', 'accentColor', 'footerText', 'privacyText', 'shopUrl'] as const;

/** The branding part of an email's variables (null → omitted, so `{{#if logoUrl}}` works). */
export function brandingVariables(b: BrandingSettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of BRANDING_VARIABLES) {
    const v = b[k];
    if (v) out[k] = v;
  }
  return out;
}
