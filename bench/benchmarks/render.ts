import Handlebars from 'handlebars';
import { createRenderer } from '../../src/mail/render.js';
import { benchTemplateSource, sampleVars } from '../lib/sample-message.js';
import { fmt, sizeFromEnv, type BenchContext, type BenchRow } from '../lib/types.js';

export type RenderOptions = { renders: number };

export function renderOptionsFromEnv(): RenderOptions {
  return { renders: sizeFromEnv('BENCH_RENDERS', 20_000, { min: 10 }) };
}

/** Per-recipient variables that differ per message, as in a wave (so no render is a cache hit). */
function varsFor(i: number): Record<string, unknown> {
  return {
    ...sampleVars,
    name: `Shopper ${i}`,
    unsubscribeUrl: `https://shop.example/unsubscribe?token=${i.toString(36)}.AbCdEfGhIjKlMnOpQrStUv`,
  };
}

/** The MJML output with its `{{…}}` intact, compiled outside the renderer (so its count stays honest). */
async function compiledHtmlSource(mjml: string): Promise<string> {
  const mod = (await import('mjml')) as unknown as {
    default: (m: string, o: Record<string, unknown>) => Promise<{ html: string }>;
  };
  const { html } = await mod.default(mjml, { validationLevel: 'soft', keepComments: false });
  return html;
}

function timeLoop(n: number, fn: (i: number) => unknown): number {
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const out = fn(i);
    sink += typeof out === 'string' ? out.length : 1;
  }
  const ms = performance.now() - started;
  if (sink === 0) throw new Error('nothing rendered');
  return (n / ms) * 1000;
}

/**
 * `render`: per-recipient renders/s of the back-in-stock template through the service's renderer
 * (subject + HTML + text, MJML compiled once), and how many MJML compiles that took. Bound: Handlebars
 * alone filling the compiled HTML. Goal: 1 compile, renders/s ≥ 20 × U_smtp.
 */
export async function runRender(ctx: BenchContext, opts: RenderOptions): Promise<BenchRow[]> {
  const usmtp = await ctx.usmtp();
  const source = await benchTemplateSource();
  const renderer = createRenderer();
  const compileStarted = performance.now();
  const compiled = await renderer.compile(source);
  const compileMs = performance.now() - compileStarted;
  const warm = Math.min(1000, opts.renders);
  for (let i = 0; i < warm; i++) renderer.render(await renderer.compile(source), varsFor(i));

  // The service path: look the version up in the cache (as a sender does per message), then fill it.
  let last = compiled;
  const renderStarted = performance.now();
  for (let i = 0; i < opts.renders; i++) {
    if (i % 100 === 0) last = await renderer.compile(source);
    const out = renderer.render(last, varsFor(i));
    if (out.html.length === 0) throw new Error('empty render');
  }
  const rendersPerSecond = (opts.renders / (performance.now() - renderStarted)) * 1000;

  const htmlOnce = renderer.render(compiled, varsFor(0)).html;
  const hbs = Handlebars.create();
  // Templates may call the renderer's date helper; the bound gets an equivalent cached formatter.
  const dateFmt = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' });
  hbs.registerHelper('formatDate', (value: unknown) => dateFmt.format(new Date(String(value))));
  const bare = hbs.compile(await compiledHtmlSource(source.mjml));
  timeLoop(warm, (i) => bare(varsFor(i)));
  const boundPerSecond = timeLoop(opts.renders, (i) => bare(varsFor(i)));

  const compileCount = renderer.compileCount;
  const ratioToSmtp = rendersPerSecond / usmtp.perSecond;
  return [
    {
      name: 'render',
      figure: `${fmt(rendersPerSecond)} renders/s; ${compileCount} MJML compile`,
      bound: `Handlebars alone ${fmt(boundPerSecond)} renders/s`,
      ratio: Math.round((rendersPerSecond / boundPerSecond) * 100) / 100,
      goal: `compile count 1; ≥ 20 × U_smtp (${fmt(usmtp.perSecond)}/s) → ${fmt(ratioToSmtp, 1)}×`,
      met: compileCount === 1 && ratioToSmtp >= 20,
      details: {
        template: source.key,
        renders: opts.renders,
        rendersPerSecond: Math.round(rendersPerSecond),
        handlebarsAlonePerSecond: Math.round(boundPerSecond),
        compileCount,
        compileMs: Math.round(compileMs),
        htmlBytes: htmlOnce.length,
        uSmtpPerSecond: Math.round(usmtp.perSecond),
        timesUsmtp: Math.round(ratioToSmtp * 10) / 10,
      },
    },
  ];
}
