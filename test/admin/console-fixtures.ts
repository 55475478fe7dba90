import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createUser } from '../../src/domain/users/create-user.js';
import { createApp } from '../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';

export type RunningConsole = { deps: TestDeps; base: string; close(): Promise<void> };

/**
 * The whole app on a real port (as `npm start` serves it) over a fresh test database (createTestDeps
 * seeds the shipped templates) and one console user. SMTP to `smtpUrl` when given, else capture mode.
 */
export async function startConsole(options: {
  smtpUrl?: string;
  env?: Record<string, string>;
  user: { email: string; password: string; role: 'admin' | 'marketing' };
}): Promise<RunningConsole> {
  const deps = await createTestDeps({ smtpUrl: options.smtpUrl, env: options.env });
  // Sessions expire by deps.clock: start the manual clock at the real time, as a running service would.
  deps.clock.set(Date.now());
  await createUser(deps, options.user);
  const app = createApp(deps, deps.runtime);
  const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    deps,
    base,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.close();
    },
  };
}
