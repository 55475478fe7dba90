import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import {
  forgetSettings,
  getEffectiveSettings,
  type EffectiveSettings,
} from '../../../domain/settings/effective-settings.js';
import { listSettingsChanges } from '../../../domain/settings/list-settings-changes.js';
import { SETTING_KEYS, SettingsInput, settingsFromConfig } from '../../../domain/settings/settings-values.js';
import { updateSettings } from '../../../domain/settings/update-settings.js';
import { createRouter } from '../../router.js';
import { limit } from './inputs.js';
import { adminErrors, adminSecurity, json, principalOf } from './shared.js';

const PerUnit = z
  .union([z.number(), z.literal('auto')])
  .openapi({ description: 'People notified per available unit; 0 = everyone; "auto" = sized from earlier waves' });
const values = {
  notifyPerUnit: PerUnit,
  waveIntervalMinutes: z.number().openapi({ description: 'Minutes between waves while stock lasts' }),
  restockSettleSeconds: z
    .number()
    .int()
    .openapi({ description: 'How long stock must stay up before it counts as a restock' }),
  doubleOptIn: z.boolean().openapi({ description: 'Signups stay pending until the confirmation link is opened' }),
  showWaitlistCount: z.boolean().openapi({ description: 'Widget and signup page say how many people are waiting' }),
  etaChangeMinDays: z.number().int().openapi({ description: 'Smallest move of an expected date that is announced' }),
  repermissionAfterDays: z
    .number()
    .int()
    .openapi({ description: 'Ask "still interested?" after this many days (0 = off)' }),
};
const Values = z.object(values);
const Settings = Values.extend({
  defaults: Values.openapi({
    description: 'The environment’s values (NOTIFY_PER_UNIT, …): what applies where nothing is stored',
  }),
  stored: z
    .array(z.enum(SETTING_KEYS as [string, ...string[]]))
    .openapi({ description: 'Settings whose value was set in the console' }),
}).openapi('Settings');

const Change = z
  .object({
    key: z.string(),
    oldValue: z.unknown().openapi({ description: 'null = the environment default' }),
    newValue: z.unknown(),
    changedBy: z.string(),
    changedAt: z.string(),
  })
  .openapi('SettingsChange');

const tags = ['admin: settings'];
const routes = {
  get: createRoute({
    method: 'get',
    path: '/api/v1/admin/settings',
    tags,
    security: adminSecurity,
    summary: 'Settings in force, their environment defaults, and which are set here',
    responses: { 200: json(Settings, 'Settings'), ...adminErrors },
  }),
  put: createRoute({
    method: 'put',
    path: '/api/v1/admin/settings',
    tags,
    security: adminSecurity,
    summary: 'Change settings (applies on every instance without a restart; audited)',
    // The domain's own schema: every bound with its message, all problems at once, unknown keys refused.
    request: {
      body: {
        description: 'The settings to change: a field left out is kept; null returns it to the environment default.',
        content: { 'application/json': { schema: SettingsInput } },
        required: true,
      },
    },
    responses: { 200: json(Settings, 'Saved'), ...adminErrors },
  }),
  changes: createRoute({
    method: 'get',
    path: '/api/v1/admin/settings/changes',
    tags,
    security: adminSecurity,
    summary: 'Who changed which setting when (old → new), newest first',
    request: { query: z.object({ limit: limit(50, 500) }) },
    responses: { 200: json(z.object({ changes: z.array(Change) }), 'Changes'), ...adminErrors },
  }),
};

function answer(deps: Deps, s: EffectiveSettings) {
  const { stored, ...rest } = s;
  return { ...rest, defaults: settingsFromConfig(deps.config), stored };
}

/** GET/PUT /api/v1/admin/settings and the change log. */
export function adminSettingsRoutes(deps: Deps, options: { onChange?: () => void } = {}) {
  const app = createRouter();
  app.openapi(routes.get, async (c) => c.json(answer(deps, await getEffectiveSettings(deps)), 200));
  app.openapi(routes.put, async (c) => {
    const saved = await updateSettings(deps, { by: principalOf(c).by, values: c.req.valid('json') });
    forgetSettings(deps);
    options.onChange?.();
    return c.json(answer(deps, saved), 200);
  });
  app.openapi(routes.changes, async (c) =>
    c.json({ changes: await listSettingsChanges(deps, { limit: c.req.valid('query').limit }) }, 200),
  );
  return app;
}
