import { eq, inArray } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { appSettings, appSettingsAudit } from '../../db/schema/index.js';
import { withTx } from '../../db/transaction.js';
import { AppError } from '../../errors.js';
import { getEffectiveSettings, type EffectiveSettings } from './effective-settings.js';
import { SettingsInput, type SettingKey } from './settings-values.js';

/**
 * Changes settings. `input` names the settings to change; a field left out is kept, `null` removes the
 * stored value (the environment default applies again). In one transaction: each changed setting is
 * upserted or deleted and gets one audit row (who, when, old → new; null = "the environment default").
 * A value equal to what is stored is no change and writes nothing.
 * @throws AppError VALIDATION with one detail per bad field (nothing is written then).
 */
export async function updateSettings(
  ctx: Pick<Deps, 'db' | 'config' | 'clock'>,
  input: { by: string; values: unknown },
): Promise<EffectiveSettings> {
  const parsed = SettingsInput.safeParse(input.values);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The settings are not valid.', {
      details: parsed.error.issues.map((i) => ({
        path: i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(', ') : ''),
        message: i.code === 'unrecognized_keys' ? `unknown setting(s): ${i.keys.join(', ')}` : i.message,
      })),
    });
  }
  const wanted = Object.entries(parsed.data).filter(([, v]) => v !== undefined) as [SettingKey, unknown][];
  const now = ctx.clock.now();
  await withTx(ctx.db, async (tx) => {
    if (wanted.length === 0) return;
    const keys = wanted.map(([k]) => k);
    // Lock what exists so two saves at once audit a true old → new chain.
    const current = await tx.select().from(appSettings).where(inArray(appSettings.key, keys)).for('update');
    const old = new Map(current.map((r) => [r.key, r.value]));
    for (const [key, value] of wanted) {
      const before = old.has(key) ? old.get(key) : null;
      if (JSON.stringify(before) === JSON.stringify(value)) continue;
      if (value === null) {
        await tx.delete(appSettings).where(eq(appSettings.key, key));
      } else {
        await tx
          .insert(appSettings)
          .values({ key, value, updatedAt: now, updatedBy: input.by })
          .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: now, updatedBy: input.by } });
      }
      await tx
        .insert(appSettingsAudit)
        .values({ key, oldValue: before, newValue: value, changedBy: input.by, changedAt: now });
    }
  });
  return getEffectiveSettings(ctx);
}
