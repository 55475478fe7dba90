import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm start` as a user runs it: the composition root on its embedded defaults (PGlite in a fresh
 * directory, capture mail), reached over a real socket, then stopped with SIGTERM.
 */
let dir: string;
let child: ChildProcess;
let baseUrl: string;
let output = '';
let exited: Promise<number | null>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rn-main-'));
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      PORT: '0',
      HOST: '127.0.0.1',
      PGLITE_DIR: join(dir, 'pglite'),
      MAILBOX_DIR: join(dir, 'mailbox'),
      APP_SECRET: 'main-test-secret-0123456789abcdefghij',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  baseUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`service exited (${code}) before listening:\n${output}`)));
  });
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('npm start on the embedded defaults', () => {
  it('migrates, seeds the demo catalogue, serves signups, writes the confirmation to the mailbox, and stops on SIGTERM', async () => {
    expect(await (await fetch(`${baseUrl}/readyz`)).json()).toMatchObject({ status: 'ready' });
    const res = await fetch(`${baseUrl}/api/v1/signups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'main-test@example.com', sku: 'DEMO-TEE-BLUE-M' }),
    });
    expect(res.status).toBe(201);
    // The confirmation is sent right after the answer; give the capture transport a moment.
    let files: string[] = [];
    for (let i = 0; i < 100 && files.length === 0; i++) {
      files = await readdir(join(dir, 'mailbox')).catch(() => []);
      if (files.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(1);

    // Start-up: the useful URLs (with the demo signup page) and the missing-tokens warning, once.
    expect(output).toContain('"msg":"useful URLs"');
    expect(output).toContain('/signup/DEMO-');
    expect(output.split('No API tokens are configured').length - 1).toBe(1);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('shutting down');
  });
});
