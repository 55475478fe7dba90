import { z } from 'zod';

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }));

/**
 * Logos must be https: the hosted pages are served over https and a browser blocks (or flags) an
 * http image there as mixed content, and several mail apps do not load http images at all.
 */
const httpsUrl = z
  .string()
  .trim()
  .max(2000)
  .pipe(
    z.url({
      protocol: /^https$/,
      message:
        'must be an https:// URL (an http:// logo shows as a broken image on the https pages and in many mail apps); or upload the image instead',
    }),
  );

const text = (max: number) => z.string().trim().max(max);
const nullable = <T extends z.ZodType>(t: T) =>
  t
    .nullable()
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v));

/** `#rgb` or `#rrggbb`, stored as lower-case `#rrggbb`. */
const AccentColor = z
  .string()
  .trim()
  .regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex colour like #1d4ed8')
  .transform((v) => (v.length === 4 ? `#${[...v.slice(1)].map((ch) => ch + ch).join('')}` : v).toLowerCase());

/** PUT body: the whole settings row; a missing or empty field means "not set" (the default applies). */
export const BrandingInput = z.object({
  shopName: nullable(text(100)),
  logoUrl: nullable(z.literal('').or(httpsUrl)),
  accentColor: nullable(z.literal('').or(AccentColor)),
  footerText: nullable(text(1000)),
  privacyText: nullable(text(2000)),
  shopUrl: nullable(z.literal('').or(httpUrl)),
});
export type BrandingInput = z.input<typeof BrandingInput>;

export type BrandingSettings = {
  /** Never empty: SHOP_NAME when the console has not set one. */
  shopName: string;
  /** The logo in use: the https URL set in the console, else the uploaded image's URL on this service. */
  logoUrl: string | null;
  /** Where `logoUrl` comes from: `url` (set as a URL), `upload` (uploaded image), or null (no logo). */
  logoSource: 'url' | 'upload' | null;
  accentColor: string | null;
  footerText: string | null;
  privacyText: string | null;
  shopUrl: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
};

const SETTINGS_VARIABLES = ['shopName', 'logoUrl', 'accentColor', 'footerText', 'privacyText', 'shopUrl'] as const;

/**
 * Names every email may use besides its own declarations (the sender adds them from branding);
 * `accentContrast` is the text colour that reads on the accent (white or near-black).
 */
export const BRANDING_VARIABLES = [...SETTINGS_VARIABLES, 'accentContrast'] as const;

/** The button colour of the shipped templates, used while the console sets no accent colour. */
const DEFAULT_ACCENT = '#111827';

/**
 * The branding part of an email's variables (null → omitted, so `{{#if logoUrl}}` works). The accent
 * colour always has a value: templates use it in colour attributes (`background-color="{{accentColor}}"`).
 */
export function brandingVariables(b: BrandingSettings): Record<string, string> {
  const out: Record<string, string> = { accentColor: DEFAULT_ACCENT };
  for (const k of SETTINGS_VARIABLES) {
    const v = b[k];
    if (v) out[k] = v;
  }
  out.accentContrast = contrastOn(out.accentColor ?? DEFAULT_ACCENT);
  return out;
}

/** White or near-black, whichever has the higher WCAG 2 contrast ratio on `hex` (#rrggbb). */
function contrastOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const lin = (v: number) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#111827';
}
