import type { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import { type Branding, BrandingView } from '../branding-page.js';
import { apiFor, type ConsoleEnv, type ConsoleOptions } from '../console-context.js';
import { consolePage } from '../layout.js';

/** Branding: one form over GET/PUT branding, with a live sample of the accent colour. */
export function brandingPage(app: Hono<ConsoleEnv>, deps: Deps, options: ConsoleOptions): void {
  app.get('/admin/branding', async (c) => {
    const user = c.get('consoleUser');
    const answer = await apiFor(c, options, deps, user).get<Branding | { branding: Branding }>(
      '/api/v1/admin/branding',
    );
    const b: Branding = answer.ok ? ('branding' in answer.data ? answer.data.branding : answer.data) : {};
    const accent = b.accentColor && /^#[0-9a-f]{6}$/i.test(b.accentColor) ? b.accentColor : '#111827';
    return consolePage(c, {
      title: 'Branding',
      section: 'branding',
      user,
      options,
      children: BrandingView({ answer, b, accent }),
    });
  });
}
