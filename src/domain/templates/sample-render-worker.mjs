// sample-render.ts in a worker thread of the render pool (runtime/render-pool.ts runs it by file URL).
// Plain JavaScript, because whether a worker thread can import TypeScript depends on how the process
// was started: under `tsx` (npm start) the thread inherits tsx's loader and a plain import works;
// under vitest it has none, and tsx's API loads the module instead.
// Per-thread state: one renderer and its last compiled versions.
let state;

async function load(rel) {
  try {
    return await import(new URL(rel, import.meta.url).href);
  } catch (err) {
    if (err?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(rel, import.meta.url);
  }
}

export async function sampleRender(input) {
  state ??= Promise.all([load('./sample-render.ts'), load('../../mail/render.ts')]).then(([sample, render]) => ({
    sample,
    renderer: render.createRenderer(),
    cache: new Map(),
  }));
  const { sample, renderer, cache } = await state;
  return sample.sampleRender(renderer, input, cache);
}
