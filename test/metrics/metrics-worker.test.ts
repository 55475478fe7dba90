import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { freePort, startService, type ServiceProcess } from '../helpers/service-process.js';

describe('METRICS_PORT: a ROLE=worker process is scrapeable', () => {
  let dir: string | undefined;
  let worker: ServiceProcess | undefined;
  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('config: a port number or nothing; anything else is reported', () => {
    expect(loadConfig({ METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(loadConfig({}).metricsPort).toBeUndefined();
    expect(() => loadConfig({ METRICS_PORT: 'abc' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
  });

  it('serves GET /metrics with its job counters (and nothing else) on METRICS_PORT', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rn-worker-metrics-'));
    const port = await freePort();
    worker = startService({
      ROLE: 'worker',
      PGLITE_DIR: join(dir, 'pglite'),
      MAILBOX_DIR: join(dir, 'mailbox'),
      METRICS_PORT: String(port),
      METRICS_TOKEN: 'metrics-token-123',
      SEND_CRON: '* * * * * *',
    });
    await worker.waitForLog(/worker metrics on/, 120_000);
    // The send job ticks every second: wait until the worker has counted one run.
    let text = '';
    for (let i = 0; i < 60 && !/restock_job_runs_total\{[^}]*job="send"/.test(text); i++) {
      await new Promise((r) => setTimeout(r, 500));
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { authorization: 'Bearer metrics-token-123' },
      });
      expect(res.status).toBe(200);
      text = await res.text();
    }
    expect(text).toMatch(/restock_job_runs_total\{[^}]*job="send"[^}]*\} [1-9]/);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/products/X/availability`)).status).toBe(404);
  }, 180_000);
});
