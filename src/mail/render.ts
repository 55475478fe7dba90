import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { convert } from 'html-to-text';
import { AppError } from '../errors.js';
import { defaultLocale } from './template-file.js';

export type MjmlError = { line: number; message: string; tagName?: string };

export type CompiledTemplate = {
  /** sha256 of subject + MJML: the cache key, and a stable id for "this version". */
  hash: string;
  subject: Handlebars.TemplateDelegate;
  html: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
  /** The template's language (`<mjml lang="…">`), when it declares one. */
  locale: string | undefined;
  /** The Handlebars sources of subject, HTML and text (message-frame.ts checks what it may splice). */
  sources: readonly [subject: string, html: string, text: string];
};

export type RenderedEmail = { subject: string; html: string; text: string };

export type TemplateSource = { subject: string; mjml: string };

export type Renderer = {
  /** Compiles (or returns the cached compile of) one template version. @throws AppError VALIDATION on invalid MJML. */
  compile(source: TemplateSource): Promise<CompiledTemplate>;
  /** Fills a compiled template for one recipient. Variables are HTML-escaped in the HTML part. */
  render(compiled: CompiledTemplate, vars: Record<string, unknown>): RenderedEmail;
  /** MJML problems with line numbers; empty when the template is valid. */
  validate(mjml: string): Promise<MjmlError[]>;
  /** How many MJML compiles this renderer has run (the cache is working when this stays flat). */
  readonly compileCount: number;
};

type Mjml2Html = (
  mjml: string,
  options: Record<string, unknown>,
) => Promise<{ html: string; errors: { line: number; message: string; tagName?: string }[] }>;

let mjmlModule: Promise<Mjml2Html> | undefined;
/** `import('mjml')` costs ≈0.7 s: load it once, on first use. */
function loadMjml(): Promise<Mjml2Html> {
  mjmlModule ??= import('mjml').then((m) => ((m as { default?: unknown }).default ?? m) as Mjml2Html);
  return mjmlModule;
}

/**
 * `{{formatDate value locale}}`: a calendar date in the email's language ("20. Januar 2027" in de).
 * The locale is an explicit argument: the sender passes `locale` = the locale of the template it
 * picked, so a date never comes out in another language than the text around it.
 */
function formatDate(dateFormats: Map<string, Intl.DateTimeFormat>, value: unknown, locale: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  // 'default' is the stored locale of templates seeded before English was stored as `en`.
  const loc = typeof locale === 'string' && locale && locale !== 'default' ? locale : defaultLocale;
  let fmt = dateFormats.get(loc);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat(loc, { dateStyle: 'long', timeZone: 'UTC' });
    } catch {
      fmt = new Intl.DateTimeFormat(defaultLocale, { dateStyle: 'long', timeZone: 'UTC' });
    }
    dateFormats.set(loc, fmt);
  }
  // `YYYY-MM-DD` is a calendar date, not an instant: format it in UTC so it never shifts a day.
  const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value as string);
  return Number.isNaN(d.getTime()) ? String(value) : fmt.format(d);
}

/**
 * The `locale` formatDate gets: the sender's `locale` when it is in the template's language (so
 * `de-AT` may refine a `de` template), otherwise the template's own `<mjml lang>` — a date is never
 * shown in another language than the text around it, whatever the sender passes.
 */
function dateLocale(passed: unknown, templateLang: string | undefined): unknown {
  const given = typeof passed === 'string' && passed && passed !== 'default' ? passed : undefined;
  if (!templateLang) return given ?? defaultLocale;
  const lang = (l: string) => l.split('-')[0]!.toLowerCase();
  return given && lang(given) === lang(templateLang) ? given : templateLang;
}

/**
 * `background-color="{{accentColor}}"`: MJML type-checks attribute values at compile time, when a
 * placeholder is not a colour yet; Handlebars fills it per message afterwards (the branding's accent
 * colour, validated as `#rrggbb` when it is saved). An attribute whose whole value is one placeholder
 * is therefore not an MJML error; anything else in it still is.
 */
function isPlaceholderValueError(message: string): boolean {
  return /^Attribute [\w-]+ has invalid value: \{\{[\w.]+\}\} for type /.test(message);
}

/**
 * MJML compiled once per template version (cached by content hash) → Handlebars compiled once →
 * filled per recipient. The plain-text part is derived from the compiled HTML once per version too
 * (html-to-text keeps `{{…}}` intact), so a per-recipient render is two Handlebars calls.
 */
export function createRenderer(options: { includesDir?: string } = {}): Renderer {
  const hbs = Handlebars.create();
  // Built formatters per locale, owned by this renderer (no module-level state).
  const dateFormats = new Map<string, Intl.DateTimeFormat>();
  hbs.registerHelper('formatDate', (value: unknown, locale: unknown) => formatDate(dateFormats, value, locale));
  const cache = new Map<string, Promise<CompiledTemplate>>();
  let compiles = 0;

  async function runMjml(mjml: string) {
    const mjml2html = await loadMjml();
    compiles += 1;
    const out = await mjml2html(mjml, {
      validationLevel: 'soft',
      keepComments: false,
      // mjml 5 ignores <mj-include> unless told otherwise; includes resolve relative to includesDir.
      ...(options.includesDir ? { filePath: options.includesDir, ignoreIncludes: false } : {}),
    });
    return { ...out, errors: out.errors.filter((e) => !isPlaceholderValueError(e.message)) };
  }

  async function compileUncached(source: TemplateSource, hash: string): Promise<CompiledTemplate> {
    const { html, errors } = await runMjml(source.mjml);
    if (errors.length > 0) {
      throw new AppError('VALIDATION', 'The MJML template is not valid.', {
        details: errors.map((e) => ({ line: e.line, message: e.message, tagName: e.tagName })),
      });
    }
    const text = convert(html, {
      wordwrap: false,
      selectors: [
        // The <mj-preview> preheader is hidden in HTML; in the text part it would repeat the opening.
        { selector: 'div[style*="display:none"]', format: 'skip' },
        // Every mj-text is a div: a blank line between them reads as paragraphs.
        { selector: 'div', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
        { selector: 'img', format: 'skip' },
        { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
      ],
    });
    return {
      hash,
      locale: /<mjml[^>]*\slang="([^"]+)"/.exec(source.mjml)?.[1],
      sources: [source.subject, html, text],
      subject: hbs.compile(source.subject, { noEscape: true, strict: false }),
      html: hbs.compile(html),
      text: hbs.compile(text, { noEscape: true }),
    };
  }

  return {
    compile(source) {
      const hash = createHash('sha256').update(source.subject).update('\0').update(source.mjml).digest('hex');
      let compiled = cache.get(hash);
      if (!compiled) {
        compiled = compileUncached(source, hash);
        // A failed compile is not cached: the next attempt reports the same errors afresh.
        compiled.catch(() => cache.delete(hash));
        cache.set(hash, compiled);
      }
      return compiled;
    },
    render(compiled, vars) {
      const locale = dateLocale(vars.locale, compiled.locale);
      const v = locale === vars.locale ? vars : { ...vars, locale };
      return {
        subject: compiled.subject(v).replace(/\s+/g, ' ').trim(),
        html: compiled.html(v),
        // Optional blocks that render empty leave runs of blank lines behind.
        text: compiled.text(v).replace(/\n{3,}/g, '\n\n').trim(),
      };
    },
    async validate(mjml) {
      const { errors } = await runMjml(mjml);
      return errors.map((e) => ({ line: e.line, message: e.message, tagName: e.tagName }));
    },
    get compileCount() {
      return compiles;
    },
  };
}
