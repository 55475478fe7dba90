import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { seedPageCopy } from '../../../src/domain/templates/seed-page-copy.js';
import { createUser } from '../../../src/domain/users/create-user.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';

export type RunningConsole = { deps: TestDeps; base: string; close(): Promise<void> };

/**
 * The whole app on a real port (as `npm start` serves it) over a fresh test database (createTestDeps
 * seeds the shipped templates) and one console user. SMTP to `smtpUrl` when given, else capture mode.
 * PUBLIC_BASE_URL is the server's own address (the port is taken before the app is built), so the
 * links and the sample product picture in previews point at something the browser can load.
 */
export async function startConsole(options: {
  smtpUrl?: string;
  env?: Record<string, string>;
  user: { email: string; password: string; role: 'admin' | 'marketing' };
}): Promise<RunningConsole> {
  let app: ReturnType<typeof createApp> | undefined;
  const server: ServerType = serve({
    fetch: (req) => (app ? app.fetch(req) : new Response('starting', { status: 503 })),
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deps = await createTestDeps({ smtpUrl: options.smtpUrl, env: { PUBLIC_BASE_URL: base, ...options.env } });
  // Sessions expire by deps.clock: start the manual clock at the real time, as a running service would.
  deps.clock.set(Date.now());
  await createUser(deps, options.user);
  // As main.ts does at start-up: the hosted pages' copy becomes a versioned template (key `pages`).
  await seedPageCopy(deps);
  app = createApp(deps, deps.services);
  return {
    deps,
    base,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.close();
    },
  };
}
