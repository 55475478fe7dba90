import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The real service (`src/main.ts`, exactly as `npm start` runs it) as a child process, configured only
 * through its environment. Its pino lines on stdout are read for `waitForLog`; HTTP readiness is
 * `/readyz` answering 200.
 */
export type ServiceHandle = {
  pid: number;
  url: string;
  /** Resolves when a log line with this `msg` has been written (also one written before the call). */
  waitForLog(msg: string, timeoutMs?: number): Promise<void>;
  stop(graceMs?: number): Promise<void>;
};

const mainPath = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The arguments `npm run worker` gives node (package.json's `worker` script after `node`: the heap
 * bounds, `--import tsx`, src/worker.ts), read from the script itself; run with cwd = the repository.
 */
function workerScriptArgs(): string[] {
  const pkg = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { scripts: Record<string, string> };
  const [node, ...args] = (pkg.scripts.worker ?? '').trim().split(/\s+/);
  if (node !== 'node' || args.length === 0)
    throw new Error(`package.json worker script is not "node …": ${pkg.scripts.worker}`);
  return args;
}

/** The node flags of `npm run worker` (its heap bounds), for a bench child that runs the sender in-process. */
export function workerScriptNodeFlags(): string[] {
  return workerScriptArgs().filter((a) => /^--(max|min)-[a-z-]+(=|$)/.test(a));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startService(
  env: Record<string, string>,
  options: { http: boolean; nodeFlags?: string[]; npmWorker?: boolean },
): Promise<ServiceHandle> {
  const port = await freePort();
  // npmWorker: started as `npm run worker` starts it (its node flags, src/worker.ts); nodeFlags come first.
  const args = options.npmWorker
    ? [...(options.nodeFlags ?? []), ...workerScriptArgs()]
    : [...(options.nodeFlags ?? []), '--import', 'tsx', mainPath];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const seen = new Set<string>();
  const waiters: { msg: string; resolve(): void }[] = [];
  let buffer = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let msg: string | undefined;
      try {
        msg = (JSON.parse(line) as { msg?: string }).msg;
      } catch {
        continue;
      }
      if (!msg) continue;
      seen.add(msg);
      for (const w of [...waiters]) if (w.msg === msg) waiters.splice(waiters.indexOf(w), 1), w.resolve();
    }
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const url = `http://127.0.0.1:${port}`;
  const handle: ServiceHandle = {
    pid: child.pid ?? -1,
    url,
    waitForLog(msg, timeoutMs = 180_000) {
      if (seen.has(msg)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`service: no "${msg}" log line in ${timeoutMs} ms`)),
          timeoutMs,
        );
        void exit.then(() => reject(new Error(`service exited before logging "${msg}"`)));
        waiters.push({ msg, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    async stop(graceMs = 10_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
  if (options.http) {
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (exited) throw new Error('service exited during start-up');
      const ok = await fetch(`${url}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) {
        await handle.stop();
        throw new Error('service not ready in 180 s');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return handle;
}

/** The processes of one deployment layout: the one answering HTTP and, when separate, the worker. */
export type Layout = { web: ServiceHandle; worker?: ServiceHandle };

/**
 * On PostgreSQL, ROLE=web and ROLE=worker as separate processes, as in production (`worker: false`:
 * the web process alone); on PGlite one ROLE=all process (an embedded database cannot be shared
 * between processes). Returns once the worker LISTENs for wake-ups and the web process is ready.
 * `webNodeFlags`: Node flags for the web process (e.g. `--cpu-prof` to profile it).
 */
export async function startLayout(
  kind: 'postgres' | 'pglite',
  env: Record<string, string>,
  options: {
    worker?: boolean;
    webNodeFlags?: string[];
    /** Start the worker as `npm run worker` does (its node flags and src/worker.ts), with these node flags added. */
    npmWorker?: { nodeFlags?: string[] };
  } = {},
): Promise<Layout> {
  if (kind === 'pglite') {
    const web = await startService({ ...env, ROLE: 'all' }, { http: true });
    await web.waitForLog('wake-ups: listening');
    return { web };
  }
  let worker: ServiceHandle | undefined;
  if (options.worker !== false) {
    // Readiness is its `wake-ups: listening` line, written at info whatever level the web process gets.
    worker = await startService(
      { ...env, ROLE: 'worker', LOG_LEVEL: 'info' },
      { http: false, npmWorker: !!options.npmWorker, nodeFlags: options.npmWorker?.nodeFlags },
    );
    await worker.waitForLog('wake-ups: listening');
  }
  try {
    return {
      web: await startService({ ...env, ROLE: 'web' }, { http: true, nodeFlags: options.webNodeFlags }),
      worker,
    };
  } catch (err) {
    await worker?.stop();
    throw err;
  }
}

export async function stopLayout(l: Layout | undefined): Promise<void> {
  await l?.web.stop();
  await l?.worker?.stop();
}
