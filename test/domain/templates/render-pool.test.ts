import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { createRenderer, type MjmlError } from '../../../src/mail/render.js';
import { createRenderPool, type RenderPool } from '../../../src/runtime/render-pool.js';
import { largeCatalogue } from '../../fixtures/mjml/large.js';

/**
 * MJML off the event loop: the pool's output is mjml's own, a compile past the time limit is a
 * "took too long" error (the worker is replaced, the process goes on), and the event loop keeps
 * turning while a big template compiles. No timings are asserted: only order and counts.
 */
const pools: RenderPool[] = [];
const pool = (timeoutMs: number) => {
  const p = createRenderPool({ threads: 1, timeoutMs });
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

async function errorsOf(promise: Promise<unknown>): Promise<MjmlError[]> {
  try {
    await promise;
    return [];
  } catch (err) {
    if (isAppError(err) && err.code === 'VALIDATION') return err.details as MjmlError[];
    throw err;
  }
}

describe('render pool', () => {
  it('compiles exactly what mjml compiles in-process, text part included; the cache compiles a source once', async () => {
    const source = {
      subject: 'New homes',
      mjml: await readFile(new URL('../../fixtures/mjml/real-estate.mjml', import.meta.url), 'utf8'),
    };
    const p = pool(60_000);
    const pooled = createRenderer({ compileMjml: p.compile });
    const local = createRenderer();
    const a = pooled.render(await pooled.compile(source), {});
    const b = local.render(await local.compile(source), {});
    expect(a).toEqual(b);
    await pooled.compile(source);
    expect(p.stats.runs).toBe(1);
    expect(pooled.compileCount).toBe(1);
  }, 60_000);

  it('the event loop keeps turning while a 300 KB template compiles in the worker', async () => {
    const p = pool(120_000);
    const renderer = createRenderer({ compileMjml: p.compile });
    const mjml = largeCatalogue(440);
    expect(mjml.length).toBeGreaterThan(300 * 1024);
    let turns = 0;
    let done = false;
    const spin = () => {
      turns++;
      if (!done) setImmediate(spin);
    };
    setImmediate(spin);
    const compiled = await renderer.compile({ subject: 's', mjml });
    done = true;
    expect(compiled.sources[1].length).toBeGreaterThan(mjml.length);
    // In-process, mjml would hold the loop for the whole compile: the spinner could not run at all.
    expect(turns).toBeGreaterThan(10);
  }, 120_000);

  it('a compile past the time limit is a "took too long" check, not a hung process; the pool still works after', async () => {
    // 1 ms: the worker's first task (importing mjml) alone takes far longer.
    const p = pool(1);
    const renderer = createRenderer({ compileMjml: p.compile });
    const errors = await errorsOf(renderer.compile({ subject: 's', mjml: largeCatalogue(50) }));
    expect(errors).toEqual([{ line: 0, code: 'RENDER_TIMEOUT', message: expect.stringMatching(/took too long/) }]);
    expect(p.stats.timeouts).toBe(1);
    // Not cached: a retry runs again (and times out again here).
    await errorsOf(renderer.compile({ subject: 's', mjml: largeCatalogue(50) }));
    expect(p.stats.runs).toBe(2);
  }, 60_000);

  it('a source over the size limit is refused before any compile', async () => {
    const p = pool(60_000);
    const renderer = createRenderer({ compileMjml: p.compile, maxBytes: 200 * 1024 });
    const errors = await errorsOf(renderer.compile({ subject: 's', mjml: largeCatalogue(300) }));
    expect(errors[0]?.code).toBe('TOO_LARGE');
    expect(p.stats.runs).toBe(0);
  });
});
