/** Largest logo the console accepts: plenty for a 600 px-wide email header, small for every inbox. */
export const LOGO_MAX_BYTES = 512 * 1024;

export type LogoType = 'image/png' | 'image/jpeg' | 'image/webp';

/**
 * The image type from the file's first bytes, never from its name or the declared Content-Type
 * (a renamed SVG or HTML file must not be served as an image from the shop's own origin).
 * PNG: the 8-byte signature (PNG spec §5.2); JPEG: SOI + a marker (FF D8 FF); WebP: a RIFF container
 * whose form type is `WEBP` (RFC 9649 §2).
 */
export function sniffLogoType(bytes: Uint8Array): LogoType | undefined {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (bytes.length >= 12 && starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  return undefined;
}

/** Where the service serves the uploaded logo; `?v=` changes with the image so caches pick up a new one. */
export const LOGO_PATH = '/brand/logo';
export const logoUrlFor = (publicBaseUrl: string, sha256: string) =>
  `${publicBaseUrl}${LOGO_PATH}?v=${sha256.slice(0, 16)}`;
