import type { CompiledTemplate, RenderedEmail, Renderer } from '../../mail/render.js';
import { checkTemplate, type Check, type CheckInput } from './check-template.js';

/** What crosses to the worker thread: plain data only (the compiled Handlebars functions do not). */
export type SampleRenderInput = {
  compiled?: Pick<CompiledTemplate, 'hash' | 'locale' | 'sources'>;
  vars: Record<string, unknown>;
  check: Omit<CheckInput, 'html'>;
};
export type SampleRenderOutput = { rendered?: RenderedEmail; checks: Check[] };

/**
 * The editor's CPU-heavy half of an evaluation: fill the compiled email with the sample data and run
 * every check on the result. A 300 KB template renders to ~2 MB of HTML whose parse takes longer than
 * a health check may wait, so the service runs this in the render pool (`sample-render-worker.mjs`);
 * without a pool it runs here. A Handlebars error at render time leaves `rendered` undefined (the
 * checks report it with its line).
 */
export function sampleRender(
  renderer: Renderer,
  input: SampleRenderInput,
  cache?: Map<string, CompiledTemplate>,
): SampleRenderOutput {
  let rendered: RenderedEmail | undefined;
  if (input.compiled) {
    try {
      let compiled = cache?.get(input.compiled.hash);
      if (!compiled) {
        compiled = renderer.fromSources(input.compiled);
        cache?.set(input.compiled.hash, compiled);
        if (cache && cache.size > 8) cache.delete(cache.keys().next().value as string);
      }
      rendered = renderer.render(compiled, input.vars);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
    }
  }
  return { ...(rendered ? { rendered } : {}), checks: checkTemplate({ ...input.check, html: rendered?.html }) };
}
