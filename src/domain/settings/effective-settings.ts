import type { Deps } from '../../deps.js';
import { appSettings } from '../../db/schema/index.js';
import {
  applySettings,
  SETTING_KEYS,
  SettingsFields,
  settingsFromConfig,
  type SettingKey,
  type SettingsValues,
} from './settings-values.js';

export type EffectiveSettings = SettingsValues & {
  /** The keys whose value comes from the console (the rest are the environment's). */
  stored: SettingKey[];
};

/**
 * The settings in force: the environment's defaults with every stored value on top. One query over a
 * table of at most seven rows. A stored value that no longer passes the rules (a bound tightened
 * in a later release) is ignored rather than trusted. This is THE accessor: every reader of these
 * settings goes through it (directly, or through `withSettings`).
 */
export async function getEffectiveSettings(ctx: Pick<Deps, 'db' | 'config'>): Promise<EffectiveSettings> {
  const rows = await ctx.db.select({ key: appSettings.key, value: appSettings.value }).from(appSettings);
  const out: SettingsValues = settingsFromConfig(ctx.config);
  const stored: SettingKey[] = [];
  for (const r of rows) {
    if (!(SETTING_KEYS as string[]).includes(r.key)) continue;
    const key = r.key as SettingKey;
    const parsed = SettingsFields[key].safeParse(r.value);
    if (!parsed.success) continue;
    (out as Record<SettingKey, unknown>)[key] = parsed.data;
    stored.push(key);
  }
  return { ...out, stored };
}

/**
 * How long a request path may use settings it read before: 5 s. Jobs read afresh on every run
 * (`fresh: true`, one tiny query per tick), so waves, detection and re-permission follow a change at
 * their next tick on every instance. Request paths (signup, widget, hosted pages) are hot — a signup
 * is ~1 query thanks to the group commit — so they share one read per process for this long: another
 * instance follows a change within 5 s, the instance that made it at once (`forgetSettings`).
 * The clock is the injected one, so a test moves past the window without waiting.
 */
export const SETTINGS_CACHE_MS = 5_000;

type Cached = { at: number; value: Promise<EffectiveSettings> };
/**
 * Per-process memo, keyed by the Deps object (one per process; each test builds its own), so there is
 * no module-level database handle and two app instances in one test never share a memo.
 */
const memo = new WeakMap<object, Cached>();

/**
 * Deps whose `config` carries the effective settings (`applySettings`), for verbs that read their
 * config fields. `fresh` skips the per-process memo (jobs pass it).
 */
export async function withSettings<D extends Pick<Deps, 'db' | 'config' | 'clock'>>(
  deps: D,
  options: { fresh?: boolean } = {},
): Promise<D> {
  const s = await readSettings(deps, options.fresh ?? false);
  // One derived Deps per settings read (not one per request): request paths share the memo's read.
  const hit = applied.get(s);
  if (hit?.deps === deps) return hit.derived as D;
  const derived = { ...deps, config: applySettings(deps.config, s) };
  applied.set(s, { deps, derived });
  return derived;
}

/** The Deps `withSettings` derived from a settings read (treated as read-only by its callers). */
const applied = new WeakMap<EffectiveSettings, { deps: object; derived: object }>();

/** The effective settings through the per-process memo (request paths), or afresh. */
function readSettings(deps: Pick<Deps, 'db' | 'config' | 'clock'>, fresh = false): Promise<EffectiveSettings> {
  const now = deps.clock.now().getTime();
  const hit = memo.get(deps);
  if (!fresh && hit && now - hit.at < SETTINGS_CACHE_MS && now >= hit.at) return hit.value;
  const value = getEffectiveSettings(deps);
  memo.set(deps, { at: now, value });
  // A failed read is not remembered: the next request tries again.
  value.catch(() => {
    if (memo.get(deps)?.value === value) memo.delete(deps);
  });
  return value;
}

/** Drops this process's memo (after a change made here, so it shows at once on this instance). */
export function forgetSettings(deps: object): void {
  memo.delete(deps);
}
