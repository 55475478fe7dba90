import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onPostgres, type TestDatabase } from './helpers/db.js';
import { startService, type ServiceProcess } from './helpers/service-process.js';

// `npm run worker`, the start command README documents for workers, starts a ROLE=worker process with
// its V8 heap bounds (no flags to remember); a worker started without them warns at start-up.

let db: TestDatabase;
const started: ServiceProcess[] = [];
beforeAll(async () => {
  if (onPostgres) db = await createTestDatabase();
});
afterAll(async () => {
  for (const p of started) p.kill('SIGTERM');
  await Promise.all(started.map((p) => p.exited));
  await db?.close();
});

const env = () => ({
  DATABASE_URL: db.url!,
  PUBLIC_BASE_URL: 'https://shop.example',
  MAILBOX_DIR: 'data/test-mailbox',
  LOG_LEVEL: 'info',
});
const heapWarning = /without heap bounds/;

describe.skipIf(!onPostgres)('worker start command', () => {
  it('npm run worker: ROLE=worker with the heap bounded, no warning', { timeout: 120_000 }, async () => {
    const p = startService(env(), { file: 'npm', args: ['run', '--silent', 'worker'] });
    started.push(p);
    const line = JSON.parse(await p.waitForLog(/"migrations applied"/, 90_000)) as {
      role: string;
      heapLimitMb: number;
    };
    expect(line.role).toBe('worker');
    expect(line.heapLimitMb).toBeLessThanOrEqual(200);
    await p.waitForLog(/wake-ups: listening/, 60_000);
    expect(p.lines.filter((l) => heapWarning.test(l))).toEqual([]);
  });

  it('ROLE=worker started without the bounds warns', { timeout: 120_000 }, async () => {
    const p = startService({ ...env(), ROLE: 'worker' });
    started.push(p);
    const line = JSON.parse(await p.waitForLog(/"migrations applied"/, 90_000)) as { heapLimitMb: number };
    expect(line.heapLimitMb).toBeGreaterThan(1024);
    await p.waitForLog(heapWarning, 10_000);
  });
});
