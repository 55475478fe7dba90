import { z } from 'zod';
import type { Config } from '../../config.js';

/**
 * The settings marketing staff own (GET/PUT /api/v1/admin/settings). The environment gives each a
 * default (NOTIFY_PER_UNIT, WAVE_INTERVAL_MINUTES, RESTOCK_SETTLE_SECONDS, DOUBLE_OPT_IN,
 * SHOW_WAITLIST_COUNT, ETA_CHANGE_MIN_DAYS, REPERMISSION_AFTER_DAYS); a value stored in the console wins.
 * The bounds are what a shop can sensibly want; outside them the console answers 400 naming the field.
 */
export const SettingsFields = {
  notifyPerUnit: z.union(
    [z.literal('auto'), z.number().min(0, 'must be 0 (everyone) or more').max(1000, 'must be at most 1000')],
    { error: 'must be a number of people per unit (0 = everyone) or "auto"' },
  ),
  waveIntervalMinutes: z
    .number({ error: 'must be a number of minutes' })
    .min(1, 'must be at least 1 minute')
    .max(10_080, 'must be at most 10080 minutes (one week)'),
  restockSettleSeconds: z
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(0, 'must be 0 or more')
    .max(86_400, 'must be at most 86400 seconds (one day)'),
  doubleOptIn: z.boolean({ error: 'must be true or false' }),
  showWaitlistCount: z.boolean({ error: 'must be true or false' }),
  etaChangeMinDays: z
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(0, 'must be 0 or more')
    .max(365, 'must be at most 365 days'),
  repermissionAfterDays: z
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(0, 'must be 0 (off) or more')
    .max(3650, 'must be at most 3650 days')
    .refine(
      (d) => d === 0 || d >= 30,
      'must be 0 (off) or at least 30 days: asking sooner annoys people who just signed up',
    ),
} as const;

export type SettingKey = keyof typeof SettingsFields;
export const SETTING_KEYS = Object.keys(SettingsFields) as SettingKey[];

export const SettingsValues = z.object(SettingsFields);
export type SettingsValues = z.infer<typeof SettingsValues>;

/**
 * PUT body: the settings to change. A field left out keeps its value; `null` removes the stored value,
 * so the environment's default applies again. Unknown fields are refused (a typo must not pass silently).
 */
export const SettingsInput = z
  .object(
    Object.fromEntries(SETTING_KEYS.map((k) => [k, SettingsFields[k].nullable().optional()])) as {
      [K in SettingKey]: z.ZodOptional<z.ZodNullable<(typeof SettingsFields)[K]>>;
    },
  )
  .strict();
export type SettingsInput = z.infer<typeof SettingsInput>;

/** The environment's values: what applies where nothing is stored. */
export function settingsFromConfig(config: Config): SettingsValues {
  return {
    notifyPerUnit: config.restock.notifyPerUnit,
    waveIntervalMinutes: config.restock.waveIntervalMinutes,
    restockSettleSeconds: config.restock.settleSeconds,
    doubleOptIn: config.signup.doubleOptIn,
    showWaitlistCount: config.showWaitlistCount,
    etaChangeMinDays: config.restock.etaChangeMinDays,
    repermissionAfterDays: config.repermission.afterDays,
  };
}

/**
 * `config` with the effective settings laid over it: the verbs keep reading their config fields
 * (`config.restock.waveIntervalMinutes`, `config.signup.doubleOptIn`, …) and so read what the console set.
 */
export function applySettings<C extends Config>(config: C, s: SettingsValues): C {
  return {
    ...config,
    showWaitlistCount: s.showWaitlistCount,
    signup: { ...config.signup, doubleOptIn: s.doubleOptIn },
    restock: {
      ...config.restock,
      // "auto" is sized by the wave planner (domain/waves); it reads this field.
      notifyPerUnit: s.notifyPerUnit,
      waveIntervalMinutes: s.waveIntervalMinutes,
      settleSeconds: s.restockSettleSeconds,
      etaChangeMinDays: s.etaChangeMinDays,
    },
    repermission: { ...config.repermission, afterDays: s.repermissionAfterDays },
  };
}
