import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { databaseEnv } from './db.js';
import { TEST_SECRET } from './deps.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The real service (`src/main.ts` under tsx) as a child process, for fault tests that kill or signal
 * it. stdout (pino JSON) is kept so a test can wait for a log line; stderr is passed through.
 */
export type ServiceProcess = {
  pid: number;
  lines: string[];
  /** What it wrote to stderr (first 200 chunks). */
  errors: string[];
  /** Resolves with the exit code/signal and when it happened (performance.now()). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  waitForLog(match: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal: NodeJS.Signals): void;
};

/**
 * `command`: how the process is started; default `node --import tsx src/main.ts` (the systemd unit's
 * way). A command that starts the service as its child (`npm run worker`) runs in its own process group,
 * and `kill` signals the whole group, so the service itself gets the signal.
 */
export function startService(
  env: Record<string, string>,
  command: { file: string; args: string[] } = { file: process.execPath, args: ['--import', 'tsx', 'src/main.ts'] },
): ServiceProcess {
  const group = command.file !== process.execPath;
  const child: ChildProcess = spawn(command.file, command.args, {
    detached: group,
    cwd: root,
    // Behind the CI's pooler a DATABASE_URL also needs prepare off and a direct LISTEN URL (test/helpers/db.ts).
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      APP_SECRET: TEST_SECRET,
      LOG_LEVEL: 'info',
      ...(env.DATABASE_URL ? databaseEnv(env.DATABASE_URL) : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // stderr (node-cron's overlap warnings, crashes) is kept rather than printed; a failing test shows it.
  const errors: string[] = [];
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (errors.length < 200) errors.push(chunk);
  });
  const lines: string[] = [];
  const watchers: { match: RegExp; resolve(line: string): void }[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of [...watchers]) {
        if (w.match.test(line)) {
          watchers.splice(watchers.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return {
    pid: child.pid ?? -1,
    lines,
    errors,
    exited,
    waitForLog(match, timeoutMs = 60_000) {
      const seen = lines.find((l) => match.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no log line matching ${match} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const gone = () => reject(new Error(`service exited before logging ${match}: ${errors.join('').slice(-2000)}`));
        void exited.then(gone);
        watchers.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    kill(signal) {
      if (group && child.pid) process.kill(-child.pid, signal);
      else child.kill(signal);
    },
  };
}

/** A TCP port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Deterministic PRNG (mulberry32) for seeded trials. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
