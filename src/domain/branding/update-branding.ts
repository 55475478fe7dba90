import type { Deps } from '../../deps.js';
import { branding } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { BrandingInput, type BrandingSettings } from './branding-input.js';
import { getBranding } from './get-branding.js';

/**
 * Replaces the branding settings (PUT semantics: an omitted field is cleared). `by` is recorded.
 * Side effects: upserts the single `branding` row; the next send pass and page render use it.
 * @throws AppError VALIDATION with one entry per bad field.
 */
export async function updateBranding(deps: Pick<Deps, 'db' | 'config' | 'clock'>, by: string, input: unknown): Promise<BrandingSettings> {
  const parsed = BrandingInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The branding is not valid.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const values = { ...parsed.data, updatedAt: deps.clock.now(), updatedBy: by };
  await deps.db.insert(branding).values({ id: 1, ...values }).onConflictDoUpdate({ target: branding.id, set: values });
  return getBranding(deps);
}
