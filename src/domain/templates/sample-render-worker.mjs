// sample-render.ts in a worker thread of the render pool (runtime/render-pool.ts runs it by file URL).
// A worker thread starts without its parent's TypeScript loader, so this plain-JS entry loads the
// TypeScript modules through tsx's API. Per-thread state: one renderer and its last compiled versions.
import { tsImport } from 'tsx/esm/api';

let state;

export async function sampleRender(input) {
  state ??= Promise.all([tsImport('./sample-render.ts', import.meta.url), tsImport('../../mail/render.ts', import.meta.url)]).then(
    ([sample, render]) => ({ sample, renderer: render.createRenderer(), cache: new Map() }),
  );
  const { sample, renderer, cache } = await state;
  return sample.sampleRender(renderer, input, cache);
}
