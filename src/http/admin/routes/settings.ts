import type { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import { apiFor, type ConsoleEnv, type ConsoleOptions } from '../console-context.js';
import { consolePage } from '../layout.js';
import { type Change, type Settings, SettingsView, type ShopVariable } from '../settings-page.js';

/** Settings marketing staff own: explained, validated by the API (its 400 names the field), each change logged. */
export function settingsPage(app: Hono<ConsoleEnv>, deps: Deps, options: ConsoleOptions): void {
  app.get('/admin/settings', async (c) => {
    const user = c.get('consoleUser');
    const api = apiFor(c, options, deps, user);
    const [answer, log, vars] = await Promise.all([
      api.get<Settings>('/api/v1/admin/settings'),
      api.get<{ changes: Change[] }>('/api/v1/admin/settings/changes?limit=20'),
      api.get<{ variables: ShopVariable[] }>('/api/v1/admin/template-variables'),
    ]);
    const variables = vars.ok ? vars.data.variables : [];
    const s: Settings = answer.ok ? answer.data : {};
    const stored = new Set(s.stored ?? []);
    const changes = log.ok ? log.data.changes : [];
    return consolePage(c, {
      title: 'Settings',
      section: 'settings',
      user,
      options,
      children: SettingsView({ answer, s, stored, changes, variables }),
    });
  });
}
