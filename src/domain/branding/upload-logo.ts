import { createHash } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { branding, brandingLogo } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import { getBranding } from './get-branding.js';
import type { BrandingSettings } from './branding-input.js';
import { LOGO_MAX_BYTES, sniffLogoType } from './logo-image.js';

/**
 * Stores an uploaded logo (replacing any earlier one) and makes it the logo of every email and page:
 * a logo URL set before is cleared, in the same transaction. The type is sniffed from the bytes.
 * @throws AppError PAYLOAD_TOO_LARGE over 512 KB; UNSUPPORTED_MEDIA_TYPE when the bytes are not a
 *   PNG, JPEG or WebP image; VALIDATION for an empty file.
 */
export async function uploadLogo(
  ctx: Pick<Deps, 'db' | 'config' | 'clock'>,
  input: { by: string; bytes: Uint8Array },
): Promise<BrandingSettings> {
  const { bytes } = input;
  if (bytes.length === 0) throw new AppError('VALIDATION', 'The file is empty. Choose a PNG, JPEG or WebP image.');
  if (bytes.length > LOGO_MAX_BYTES) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The logo is ${Math.ceil(bytes.length / 1024)} KB; the limit is 512 KB. Export it smaller (about 400×120 px is plenty).`,
    );
  }
  const contentType = sniffLogoType(bytes);
  if (!contentType) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'The file is not a PNG, JPEG or WebP image (SVG and GIF are not accepted). Export the logo as PNG.',
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const now = ctx.clock.now();
  const row = {
    contentType,
    dataBase64: Buffer.from(bytes).toString('base64'),
    sha256,
    updatedAt: now,
    updatedBy: input.by,
  };
  await withTx(ctx.db, async (tx) => {
    await tx
      .insert(brandingLogo)
      .values({ id: 1, ...row })
      .onConflictDoUpdate({ target: brandingLogo.id, set: row });
    await tx
      .insert(branding)
      .values({ id: 1, logoUrl: null, updatedAt: now, updatedBy: input.by })
      .onConflictDoUpdate({ target: branding.id, set: { logoUrl: null, updatedAt: now, updatedBy: input.by } });
  });
  return getBranding(ctx);
}
