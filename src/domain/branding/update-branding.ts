import type { Deps } from '../../deps.js';
import { branding } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { BrandingInput, type BrandingSettings } from './branding-input.js';
import { getBranding } from './get-branding.js';
import { LOGO_PATH } from './logo-image.js';

/**
 * Replaces the branding settings (PUT semantics: an omitted field is cleared; an uploaded logo stays
 * and shows whenever no logo URL is set). `by` is recorded.
 * Side effects: upserts the single `branding` row; the next send pass and page render use it.
 * @throws AppError VALIDATION with one entry per bad field.
 */
export async function updateBranding(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  input: { by: string; branding: unknown },
): Promise<BrandingSettings> {
  const { by } = input;
  // The uploaded logo's own URL coming back (a GET → PUT round trip) means "keep the upload".
  const own = `${deps.config.publicBaseUrl}${LOGO_PATH}`;
  const raw = input.branding as { logoUrl?: unknown } | null;
  const body =
    typeof raw?.logoUrl === 'string' && raw.logoUrl.startsWith(own) ? { ...raw, logoUrl: null } : input.branding;
  const parsed = BrandingInput.safeParse(body);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The branding is not valid.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const values = { ...parsed.data, updatedAt: deps.clock.now(), updatedBy: by };
  await deps.db
    .insert(branding)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: branding.id, set: values });
  return getBranding(deps);
}
