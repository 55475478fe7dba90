import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/log.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';

const lines: string[] = [];
let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps({ log: createLogger('debug', { write: (s: string) => void lines.push(s) }) });
});
afterAll(async () => {
  await deps?.close();
});

const until = async (what: () => boolean) => {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(what()).toBe(true);
};

describe('scheduler', () => {
  it('skips a tick while the previous run is going (a debug line, nothing on stderr), runs again once it ended, and logs the summary', async () => {
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (
      stderr.push(String(chunk)), true
    )) as typeof process.stderr.write;
    const scheduler = startScheduler(deps, deps.services, [
      {
        name: 'slow',
        cron: '* * * * * *',
        run: async () => {
          runs += 1;
          if (runs === 1) await gate;
          return { runs };
        },
      },
    ]);
    try {
      await until(() => lines.some((l) => l.includes('tick skipped')));
      expect(runs).toBe(1);
      release();
      await until(() => runs >= 2);
      await until(() => lines.some((l) => l.includes('"job":"slow"') && l.includes('job finished')));
    } finally {
      await scheduler.stop();
      process.stderr.write = write;
    }
    expect(stderr.join('')).not.toMatch(/overlap/i);
  });
});
