import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../deps.js';
import { getTemplate } from '../../../domain/templates/get-template.js';
import { listTemplateVersions } from '../../../domain/templates/list-template-versions.js';
import { listTemplates } from '../../../domain/templates/list-templates.js';
import { previewTemplate } from '../../../domain/templates/preview-template.js';
import { publishTemplate } from '../../../domain/templates/publish-template.js';
import { rollbackTemplate } from '../../../domain/templates/rollback-template.js';
import { saveTemplateDraft } from '../../../domain/templates/save-template-draft.js';
import { sendTestEmail } from '../../../domain/templates/send-test-email.js';
import { PAGES_KEY } from '../../../domain/templates/template-versions.js';
import type { Renderer } from '../../../mail/render.js';
import { line, lines, SkuParam } from './inputs.js';
import { PREVIEW_PAGES, renderPagePreview } from '../../pages/page-preview.js';
import { getEffectiveSettings } from '../../../domain/settings/effective-settings.js';
import type { PageSettings } from '../../pages/page-settings.js';
import { createRouter } from '../../router.js';
import {
  adminErrors,
  adminSecurity,
  CheckSchema,
  conflict,
  invalid,
  json,
  jsonBody,
  notFound,
  principalOf,
} from './shared.js';

const base = '/api/v1/admin/templates/{key}/{locale}';
const Params = z.object({
  key: line(64).openapi({
    param: { name: 'key', in: 'path' },
    example: 'back-in-stock',
    description: 'email key, or `pages` for the hosted pages copy',
  }),
  locale: line(35).openapi({
    param: { name: 'locale', in: 'path' },
    example: 'en',
    description: '`en` (the default), `de`, `de-AT`, …',
  }),
});
const Variables = z.record(z.string(), z.object({ description: z.string(), example: z.unknown().optional() }));
const Messages = z.record(line(200), lines(5000)).openapi({ description: 'key `pages` only: message key → text' });

const Summary = z
  .object({
    key: z.string(),
    locale: z.string(),
    kind: z.enum(['email', 'pages']),
    publishedVersion: z.number().int().nullable(),
    draftVersion: z.number().int().nullable(),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
    fallbackLocale: z.string().optional(),
  })
  .openapi('TemplateSummary');

/** Who wrote and published a version, when, and where it came from (a single version and the history alike). */
const audit = {
  source: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
  copiedFrom: z.number().int().nullable(),
};

const View = z
  .object({
    key: z.string(),
    locale: z.string(),
    subject: z.string(),
    mjml: z.string(),
    messages: Messages.optional(),
    version: z.number().int(),
    status: z.enum(['draft', 'published', 'new']),
    current: z.boolean(),
    publishedVersion: z.number().int().nullable(),
    fallbackLocale: z.string().optional(),
    variables: Variables,
    ...audit,
  })
  .openapi('Template');

const Content = z
  .object({ subject: line(500).optional(), mjml: lines(500_000).optional(), messages: Messages.optional() })
  .openapi('TemplateContent', { description: 'emails: `subject` + `mjml`; key `pages`: `messages`' });
const Saved = z.object({ version: z.number().int(), checks: z.array(CheckSchema) }).openapi('TemplateSaved');
const Preview = z
  .object({ subject: z.string(), html: z.string(), text: z.string(), checks: z.array(CheckSchema) })
  .openapi('TemplatePreview');
const Version = z.object({
  version: z.number().int(),
  status: z.enum(['draft', 'published']),
  current: z.boolean(),
  ...audit,
});

const tags = ['admin: templates'];
const routes = {
  list: createRoute({
    method: 'get',
    path: '/api/v1/admin/templates',
    tags,
    security: adminSecurity,
    summary: 'Every email and pages catalogue × locale with its status',
    responses: { 200: json(z.object({ templates: z.array(Summary) }), 'The templates'), ...adminErrors },
  }),
  get: createRoute({
    method: 'get',
    path: base,
    tags,
    security: adminSecurity,
    summary: 'One template: the draft if one is ahead, else the published version; ?version=N for any version',
    request: {
      params: Params,
      query: z.object({ version: z.coerce.number().int().min(1).max(2_147_483_647).optional() }),
    },
    responses: { 200: json(View, 'The template'), ...adminErrors, ...notFound },
  }),
  save: createRoute({
    method: 'put',
    path: base,
    tags,
    security: adminSecurity,
    summary: 'Save a draft; answers its version and the checks (never blocking here)',
    request: { params: Params, ...jsonBody(Content) },
    responses: { 200: json(Saved, 'Saved'), ...adminErrors, ...notFound },
  }),
  preview: createRoute({
    method: 'post',
    path: `${base}/preview`,
    tags,
    security: adminSecurity,
    summary: 'Render unsaved content with example data (or a real SKU) and check it; nothing is saved',
    description:
      'Key `pages`: `html` is one hosted page (`page`, default `signup`) rendered by the service with the draft `messages` and the branding.',
    request: {
      params: Params,
      ...jsonBody(
        Content.extend({
          sku: SkuParam.optional(),
          page: z
            .enum(PREVIEW_PAGES)
            .optional()
            .openapi({ description: 'key `pages` only: which hosted page `html` shows' }),
        }),
      ),
    },
    responses: { 200: json(Preview, 'Rendered'), ...adminErrors, ...notFound },
  }),
  publish: createRoute({
    method: 'post',
    path: `${base}/publish`,
    tags,
    security: adminSecurity,
    summary: 'Publish the draft; 422 TEMPLATE_INVALID with the blocking checks',
    request: { params: Params },
    responses: {
      200: json(Saved, 'Published'),
      ...adminErrors,
      ...notFound,
      ...conflict('CONFLICT: no draft ahead'),
      ...invalid,
    },
  }),
  versions: createRoute({
    method: 'get',
    path: `${base}/versions`,
    tags,
    security: adminSecurity,
    summary: 'History: version, status, who, when (content of any version: GET ?version=N)',
    request: { params: Params },
    responses: {
      200: json(z.object({ publishedVersion: z.number().int().nullable(), versions: z.array(Version) }), 'History'),
      ...adminErrors,
      ...notFound,
    },
  }),
  rollback: createRoute({
    method: 'post',
    path: `${base}/rollback`,
    tags,
    security: adminSecurity,
    summary: 'Publish a copy of an earlier version',
    request: { params: Params, ...jsonBody(z.object({ version: z.number().int().min(1).max(2_147_483_647) })) },
    responses: {
      200: json(
        z.object({ version: z.number().int(), copiedFrom: z.number().int(), checks: z.array(CheckSchema) }),
        'Rolled back',
      ),
      ...adminErrors,
      ...notFound,
      ...invalid,
    },
  }),
  testSend: createRoute({
    method: 'post',
    path: `${base}/test-send`,
    tags,
    security: adminSecurity,
    summary: 'Send the draft with example data to the logged-in user or `to`, subject prefixed [TEST]',
    description:
      '`to` must be your own console address or listed in TEST_SEND_ALLOWED (403 otherwise, and for suppressed or erased addresses); at most TEST_SEND_RATE_LIMIT_PER_HOUR per user or token (429); a draft with blocking errors is refused (422).',
    request: {
      params: Params,
      body: {
        content: {
          'application/json': { schema: z.object({ to: z.email().max(254).optional(), sku: SkuParam.optional() }) },
        },
        required: false,
      },
    },
    responses: {
      200: json(
        z.object({
          to: z.string(),
          subject: z.string(),
          version: z.number().int(),
          messageId: z.string(),
          checks: z.array(CheckSchema),
        }),
        'Sent',
      ),
      ...adminErrors,
      ...notFound,
      ...invalid,
    },
  }),
};

/**
 * Template editing. `renderer` is the process's: MJML compiles in its worker-thread pool, and its
 * bounded compile cache (keyed by the source's hash) means the editor page, save, publish and
 * test send of a draft that was just previewed compile nothing again.
 */
export function adminTemplateRoutes(
  deps: Deps,
  options: { renderer: Renderer; onPageChange: () => void; pageSettings?: PageSettings },
) {
  const app = createRouter();
  const ctx = { ...deps, renderer: options.renderer };
  // Publishing or rolling back the pages copy changes what the hosted pages say.
  const published = <T>(key: string, result: T): T => {
    if (key === PAGES_KEY) options.onPageChange();
    return result;
  };
  app.openapi(routes.list, async (c) => c.json({ templates: await listTemplates(deps) }, 200));
  app.openapi(routes.get, async (c) => {
    const { key, locale } = c.req.valid('param');
    return c.json(await getTemplate(deps, { key, locale, version: c.req.valid('query').version }), 200);
  });
  app.openapi(routes.save, async (c) => {
    const { key, locale } = c.req.valid('param');
    return c.json(await saveTemplateDraft(ctx, { by: principalOf(c).by, key, locale, body: c.req.valid('json') }), 200);
  });
  app.openapi(routes.preview, async (c) => {
    const { key, locale } = c.req.valid('param');
    const body = c.req.valid('json');
    const evaluation = await previewTemplate(ctx, { key, locale, body });
    if (key !== PAGES_KEY || !options.pageSettings || !body.messages) return c.json(evaluation, 200);
    const live = await options.pageSettings.get();
    const html = await renderPagePreview(live, {
      locale,
      draft: body.messages,
      page: body.page ?? 'signup',
      publicBaseUrl: deps.config.publicBaseUrl,
      now: deps.clock.now(),
      settings: await getEffectiveSettings(deps),
    });
    return c.json({ ...evaluation, html }, 200);
  });
  app.openapi(routes.publish, async (c) => {
    const { key, locale } = c.req.valid('param');
    return c.json(published(key, await publishTemplate(ctx, { by: principalOf(c).by, key, locale })), 200);
  });
  app.openapi(routes.versions, async (c) => {
    const { key, locale } = c.req.valid('param');
    return c.json(await listTemplateVersions(deps, { key, locale }), 200);
  });
  app.openapi(routes.rollback, async (c) => {
    const { key, locale } = c.req.valid('param');
    return c.json(
      published(
        key,
        await rollbackTemplate(ctx, { by: principalOf(c).by, key, locale, version: c.req.valid('json').version }),
      ),
      200,
    );
  });
  app.openapi(routes.testSend, async (c) => {
    const { key, locale } = c.req.valid('param');
    const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : {};
    const principal = principalOf(c);
    return c.json(
      await sendTestEmail(ctx, { caller: { by: principal.by, email: principal.user?.email }, key, locale, body }),
      200,
    );
  });
  return app;
}
