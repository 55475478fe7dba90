import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Benchmark parts that must not share a CPU budget with the load generator (the SMTP sink, the HTTP
 * service, the fan-out worker) run as child processes. They talk to the harness over Node's IPC
 * channel: `{ id, cmd, args }` → `{ id, ok, result | error }`; a child announces `{ ready, … }` once.
 */
export type ChildHandle = {
  pid: number;
  /** What the child sent with its `ready` message (a port, a URL, …). */
  info: Record<string, unknown>;
  request<T = unknown>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to exit (SIGTERM), then kills it after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

type Reply = { id: number; ok: boolean; result?: unknown; error?: string };

/** Starts `bench/<script>` under tsx with `env` added to the environment; resolves once it is ready. */
export async function startChild(
  script: string,
  env: Record<string, string | undefined> = {},
  options: { execArgv?: string[]; readyTimeoutMs?: number; quiet?: boolean } = {},
): Promise<ChildHandle> {
  const path = fileURLToPath(new URL(`../${script}`, import.meta.url));
  const child: ChildProcess = fork(path, [], {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: { ...process.env, ...env },
    // stdout (pino lines) goes to /dev/null: the service still formats and writes every log line,
    // as in production, but the harness does not pay to read them.
    stdio: ['ignore', options.quiet === false ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`${script} exited (${code ?? signal})`));
      pending.clear();
      resolve();
    }),
  );

  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready in time`)), options.readyTimeoutMs ?? 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited before ready (code ${code})`));
    });
    child.on('message', (raw) => {
      const msg = raw as { ready?: boolean; info?: Record<string, unknown> } & Partial<Reply>;
      if (msg.ready) {
        clearTimeout(timer);
        resolve(msg.info ?? {});
        return;
      }
      if (typeof msg.id === 'number') {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (!p) return;
        if (msg.ok) p.resolve(msg.result);
        else p.reject(new Error(`${script}: ${msg.error}`));
      }
    });
  });

  return {
    pid: child.pid ?? -1,
    info,
    request<T>(cmd: string, args?: unknown, timeoutMs = 30 * 60_000) {
      if (exited) return Promise.reject(new Error(`${script} has exited`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${script}: ${cmd} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.send({ id, cmd, args });
      });
    },
    async stop(graceMs = 5000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}

/** Child side: answers the parent's requests with `handlers`, after announcing `info`. */
export function serveParent(
  handlers: Record<string, (args: never) => unknown>,
  info: Record<string, unknown> = {},
): void {
  if (!process.send) throw new Error('must be started by the bench harness (no IPC channel)');
  process.on('message', (raw) => {
    const { id, cmd, args } = raw as { id: number; cmd: string; args: unknown };
    const handler = handlers[cmd];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${cmd}`);
        return handler(args as never);
      })
      .then(
        (result) => process.send?.({ id, ok: true, result }),
        (err: unknown) =>
          process.send?.({ id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      );
  });
  process.on('SIGTERM', () => process.exit(0));
  // The harness died: do not linger as an orphan holding ports and connections.
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true, info });
}
