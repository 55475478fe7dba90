import type { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import type { TemplateDoc } from '../api-types.js';
import { apiFor, listOf, type ConsoleEnv, type ConsoleOptions } from '../console-context.js';
import { languageName } from '../language-name.js';
import { ApiProblem, consolePage } from '../layout.js';
import { PageCopyEditor } from '../page-copy-editor.js';
import {
  type Preview,
  TemplateEditorView,
  templateName,
  templatePath,
  type TemplateRow,
  TemplatesView,
} from '../templates-pages.js';

/** Template list, editor, and history pages. */
export function templatePages(app: Hono<ConsoleEnv>, deps: Deps, options: ConsoleOptions): void {
  app.get('/admin/templates', async (c) => {
    const user = c.get('consoleUser');
    const answer = await apiFor(c, options, deps, user).get<unknown>('/api/v1/admin/templates');
    const rows = answer.ok ? listOf<TemplateRow>(answer.data, 'templates') : [];
    const keys = [...new Set(rows.map((r) => r.key))];
    return consolePage(c, {
      title: 'Templates',
      section: 'templates',
      user,
      options,
      children: TemplatesView({ answer, rows, keys }),
    });
  });

  app.get('/admin/templates/:key/:locale', async (c) => {
    const user = c.get('consoleUser');
    const { key, locale } = c.req.param();
    const client = apiFor(c, options, deps, user);
    const [doc, skus] = await Promise.all([
      client.get<TemplateDoc>(templatePath(key, locale)),
      client.get<unknown>('/api/v1/admin/products?limit=50'),
    ]);
    if (!doc.ok) {
      return consolePage(
        c,
        {
          title: 'Template',
          section: 'templates',
          user,
          options,
          children: ApiProblem({ status: doc.status, message: doc.message }),
        },
        doc.status === 404 ? 404 : 200,
      );
    }
    const t = doc.data;
    if (t.messages) {
      const copy = { ...t, messages: t.messages };
      const english = locale === 'en' ? undefined : await client.get<TemplateDoc>(templatePath(key, 'en'));
      const fallback = english?.ok ? (english.data.messages ?? undefined) : undefined;
      const first = await client.post<Preview>(`${templatePath(key, locale)}/preview`, {
        messages: copy.messages,
        page: 'signup',
      });
      return consolePage(c, {
        title: `Hosted pages (${languageName(locale)})`,
        section: 'templates',
        user,
        options,
        children: PageCopyEditor({
          doc: copy,
          fallback,
          previewHtml: first.ok ? first.data.html : '',
          serviceOrigin: options.serviceOrigin,
        }),
      });
    }
    // The first render is done here, so the page shows the email even before (or without) the script.
    const first = await client.post<Preview>(`${templatePath(key, locale)}/preview`, {
      subject: t.subject,
      mjml: t.mjml,
    });
    const preview: Preview = first.ok ? first.data : { subject: t.subject, html: '', text: '', checks: [] };
    const products = skus.ok ? listOf<{ sku: string; name?: string | null }>(skus.data, 'products') : [];
    return consolePage(c, {
      title: `${templateName(key)} (${locale})`,
      section: 'templates',
      user,
      options,
      script: 'editor.js',
      children: TemplateEditorView({ key, locale, user, options, t, preview, products, first }),
    });
  });
}
