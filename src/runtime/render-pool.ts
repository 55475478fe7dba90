import { Piscina } from 'piscina';
import { AppError } from '../errors.js';
import type { MjmlCompile, Offload } from '../mail/render.js';

export type RenderPoolOptions = {
  /** Worker threads compiling MJML (each holds its own mjml, ≈60 MB). */
  threads: number;
  /** A compile running longer is abandoned (its thread is replaced): "took too long", not a hung process. */
  timeoutMs: number;
};

export type RenderPool = {
  /** The `compileMjml` port of `createRenderer`: runs mjml2html + html-to-text in a worker thread. */
  compile: MjmlCompile;
  /** Any worker module's export, under the same time limit (the editor's sample render and checks). */
  offload: Offload;
  /** Compiles started and abandoned for time so far (for tests and /metrics). */
  readonly stats: { runs: number; timeouts: number };
  close(): Promise<void>;
};

/**
 * MJML off the event loop: a piscina pool of worker threads, started lazily (the first compile pays
 * mjml's ≈0.7 s import once per thread) so a process that never renders never starts one. A compile
 * past `timeoutMs` is aborted — piscina terminates that worker and starts a fresh one — and surfaces
 * as an AppError VALIDATION whose one detail says it took too long (the editor shows it as a check).
 */
export function createRenderPool(options: RenderPoolOptions): RenderPool {
  const pool = new Piscina({
    filename: new URL('../mail/mjml-compile.mjs', import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, options.threads),
    idleTimeout: 10 * 60_000,
    // Queue work rather than refuse it: sends and previews wait their turn.
    maxQueue: 'auto',
  });
  const stats = { runs: 0, timeouts: 0 };
  async function run<T>(payload: unknown, where: { filename?: string; name?: string } = {}): Promise<T> {
    stats.runs += 1;
    try {
      return (await pool.run(payload, { ...where, signal: AbortSignal.timeout(options.timeoutMs) })) as T;
    } catch (err) {
      if ((err as Error)?.name === 'AbortError' || (err as Error)?.name === 'TimeoutError') {
        stats.timeouts += 1;
        const seconds = Math.round(options.timeoutMs / 100) / 10;
        throw new AppError('VALIDATION', 'The MJML template is not valid.', {
          details: [
            {
              line: 0,
              code: 'RENDER_TIMEOUT',
              message: `Rendering took too long (over ${seconds} s): simplify or split the template.`,
            },
          ],
        });
      }
      throw err;
    }
  }
  return {
    stats,
    compile: (mjml, compileOptions) => run({ mjml, options: compileOptions, text: true }),
    offload: (filename, name, payload) => run(payload, { filename, name }),
    close: () => pool.close({ force: true }),
  };
}
