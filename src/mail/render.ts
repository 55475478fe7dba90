import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { AppError, isAppError } from '../errors.js';
import compile from './mjml-compile.mjs';
import { defaultLocale } from './template-file.js';

/** `code` is set for the renderer's own limits: RENDER_TIMEOUT, TOO_LARGE (line 0 then: no line applies). */
export type MjmlError = { line: number; message: string; tagName?: string; code?: string };

/**
 * The MJML compile a renderer delegates to (`mail/mjml-compile.mjs`): in-process by default, a worker
 * thread of the render pool (`runtime/render-pool.ts`) in the service. `text` is the plain-text part
 * (empty when there are errors).
 */
export type MjmlCompile = (
  mjml: string,
  options: Record<string, unknown>,
) => Promise<{ html: string; errors: MjmlError[]; text: string }>;

export type RendererOptions = {
  includesDir?: string;
  compileMjml?: MjmlCompile;
  /** Larger MJML sources are refused before compiling (default 512 KB; real templates reach 100–300 KB). */
  maxBytes?: number;
  /** Compiled versions kept, least recently used dropped first (default 256). */
  cacheSize?: number;
  offload?: Offload;
};

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

type TemplateSource = { subject: string; mjml: string };

export type Renderer = {
  /** Compiles (or returns the cached compile of) one template version. @throws AppError VALIDATION on invalid MJML. */
  compile(source: TemplateSource): Promise<CompiledTemplate>;
  /** Fills a compiled template for one recipient. Variables are HTML-escaped in the HTML part. */
  render(compiled: CompiledTemplate, vars: Record<string, unknown>): RenderedEmail;
  /** MJML problems with line numbers; empty when the template is valid. */
  validate(mjml: string): Promise<MjmlError[]>;
  /** How many MJML compiles this renderer has run (the cache is working when this stays flat). */
  readonly compileCount: number;
  /** A compiled template rebuilt from its sources (in another thread: functions do not cross threads). */
  fromSources(c: Pick<CompiledTemplate, 'hash' | 'locale' | 'sources'>): CompiledTemplate;
  /** Runs export `name` of a worker module in the render pool, when there is one (previews' render + checks). */
  readonly offload?: Offload;
};

/** The render pool's generic port: export `name` of module `filename` (a file URL) runs in a worker thread. */
export type Offload = <T>(filename: string, name: string, payload: unknown) => Promise<T>;

const compileInProcess: MjmlCompile = (mjml, options) => compile({ mjml, options, text: true });

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
  const d =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? new Date(`${value}T00:00:00Z`)
      : new Date(value as string);
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
 * MJML compiled once per template version (cached by content hash) → Handlebars compiled once →
 * filled per recipient. The plain-text part is derived from the compiled HTML once per version too
 * (html-to-text keeps `{{…}}` intact), so a per-recipient render is two Handlebars calls.
 */
export function createRenderer(options: RendererOptions = {}): Renderer {
  const hbs = Handlebars.create();
  // Built formatters per locale, owned by this renderer (no module-level state).
  const dateFormats = new Map<string, Intl.DateTimeFormat>();
  hbs.registerHelper('formatDate', (value: unknown, locale: unknown) => formatDate(dateFormats, value, locale));
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  const cache = new Map<string, Promise<CompiledTemplate>>();
  const cacheSize = options.cacheSize ?? 256;
  const maxBytes = options.maxBytes ?? 512 * 1024;
  const compileMjml = options.compileMjml ?? compileInProcess;
  let compiles = 0;

  async function runMjml(mjml: string) {
    const bytes = Buffer.byteLength(mjml, 'utf8');
    if (bytes > maxBytes) {
      const message = `The template is ${Math.ceil(bytes / 1024)} KB; the limit is ${Math.floor(maxBytes / 1024)} KB.`;
      throw new AppError('VALIDATION', 'The MJML template is not valid.', {
        details: [{ line: 0, code: 'TOO_LARGE', message }],
      });
    }
    compiles += 1;
    return compileMjml(mjml, {
      validationLevel: 'soft',
      keepComments: false,
      // mjml 5 ignores <mj-include> unless told otherwise; includes resolve relative to includesDir.
      ...(options.includesDir ? { filePath: options.includesDir, ignoreIncludes: false } : {}),
    });
  }

  async function compileUncached(source: TemplateSource, hash: string): Promise<CompiledTemplate> {
    const { html, errors, text } = await runMjml(source.mjml);
    if (errors.length > 0) {
      throw new AppError('VALIDATION', 'The MJML template is not valid.', {
        details: errors.map((e) => ({ line: e.line, message: e.message, tagName: e.tagName })),
      });
    }
    return fromSources({
      hash,
      locale: /<mjml[^>]*\slang="([^"]+)"/.exec(source.mjml)?.[1],
      sources: [source.subject, html, text],
    });
  }

  function fromSources(c: Pick<CompiledTemplate, 'hash' | 'locale' | 'sources'>): CompiledTemplate {
    const [subject, html, text] = c.sources;
    return {
      ...c,
      subject: hbs.compile(subject, { noEscape: true, strict: false }),
      html: hbs.compile(html),
      text: hbs.compile(text, { noEscape: true }),
    };
  }

  return {
    ...(options.offload ? { offload: options.offload } : {}),
    fromSources,
    compile(source) {
      const hash = createHash('sha256').update(source.subject).update('\0').update(source.mjml).digest('hex');
      let compiled = cache.get(hash);
      if (compiled) {
        cache.delete(hash);
        cache.set(hash, compiled);
        return compiled;
      }
      compiled = compileUncached(source, hash);
      // Invalid MJML stays invalid (its errors are cached with it); a compile that ran out of time or
      // failed otherwise is tried afresh next time.
      compiled.catch((err) => {
        const details = isAppError(err) && err.code === 'VALIDATION' ? (err.details as MjmlError[]) : undefined;
        if (!details || details.some((d) => d.code === 'RENDER_TIMEOUT')) cache.delete(hash);
      });
      cache.set(hash, compiled);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
      return compiled;
    },
    render(compiled, vars) {
      const locale = dateLocale(vars.locale, compiled.locale);
      const v = locale === vars.locale ? vars : { ...vars, locale };
      return {
        subject: compiled.subject(v).replace(/\s+/g, ' ').trim(),
        html: compiled.html(v),
        // Optional blocks that render empty leave runs of blank lines behind.
        text: compiled
          .text(v)
          .replace(/\n{3,}/g, '\n\n')
          .trim(),
      };
    },
    async validate(mjml) {
      try {
        const { errors } = await runMjml(mjml);
        return errors.map((e) => ({ line: e.line, message: e.message, tagName: e.tagName }));
      } catch (err) {
        if (isAppError(err) && err.code === 'VALIDATION') return err.details as MjmlError[];
        throw err;
      }
    },
    get compileCount() {
      return compiles;
    },
  };
}
