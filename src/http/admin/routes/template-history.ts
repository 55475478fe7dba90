import type { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import type { TemplateDoc } from '../api-types.js';
import { apiFor, listOf, type ConsoleEnv, type ConsoleOptions } from '../console-context.js';
import { consolePage } from '../layout.js';
import { TemplateHistoryView, type VersionRow } from '../template-history-page.js';
import { templatePath } from '../templates-pages.js';

/**
 * History of one template: every version with who and when; `?version=N` shows that version's
 * source and its diff against the published one, with a roll-back button (publishes a copy).
 */
export function templateHistoryPage(app: Hono<ConsoleEnv>, deps: Deps, options: ConsoleOptions): void {
  app.get('/admin/templates/:key/:locale/history', async (c) => {
    const user = c.get('consoleUser');
    const { key, locale } = c.req.param();
    const client = apiFor(c, options, deps, user);
    const base = templatePath(key, locale);
    const answer = await client.get<unknown>(`${base}/versions`);
    const versions = answer.ok ? listOf<VersionRow>(answer.data, 'versions').sort((a, b) => b.version - a.version) : [];
    const publishedNumber = answer.ok
      ? (answer.data as { publishedVersion?: number | null }).publishedVersion
      : undefined;
    const publishedNow = versions.find((v) => v.version === publishedNumber) ?? versions.find((v) => v.current);
    const picked = Number(c.req.query('version') ?? '') || undefined;
    const [selected, published] = await Promise.all([
      picked ? client.get<TemplateDoc>(`${base}?version=${picked}`) : undefined,
      picked && publishedNow ? client.get<TemplateDoc>(`${base}?version=${publishedNow.version}`) : undefined,
    ]);
    const editor = `/admin/templates/${encodeURIComponent(key)}/${encodeURIComponent(locale)}`;
    return consolePage(c, {
      title: `History · ${key} (${locale})`,
      section: 'templates',
      user,
      options,
      children: TemplateHistoryView({
        key,
        locale,
        editor,
        base,
        answer,
        versions,
        picked,
        publishedNow,
        selected,
        published,
      }),
    });
  });
}
