import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { freePort } from './service-process.js';

const PGBOUNCER = '/usr/sbin/pgbouncer';
export const havePgBouncer = existsSync(PGBOUNCER);

export type PgBouncer = { port: number; logFile: string; url(database: string): string; stop(): Promise<void> };

/**
 * Debian's PgBouncer (1.18: no prepared statements in transaction pooling) in front of `upstream`,
 * `pool_mode = transaction`, `auth_type = trust`, on a free port, with an ini of its own in a temp
 * dir. PgBouncer refuses to run as root: as root it is started as the `postgres` user.
 */
export async function startPgBouncer(upstream: string): Promise<PgBouncer> {
  const up = new URL(upstream);
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'rn-pgbouncer-'));
  const user = decodeURIComponent(up.username || 'postgres');
  await writeFile(join(dir, 'users.txt'), `"${user}" ""\n`);
  await writeFile(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${up.hostname} port=${up.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'default_pool_size = 4',
      'max_client_conn = 500',
      'ignore_startup_parameters = extra_float_digits,options',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  const root = process.getuid?.() === 0;
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    await chown(dir, uid, gid);
    for (const f of ['users.txt', 'pgbouncer.ini']) await chown(join(dir, f), uid, gid);
  }
  await chmod(dir, 0o700);
  const ini = join(dir, 'pgbouncer.ini');
  const child: ChildProcess = root
    ? spawn('runuser', ['-u', 'postgres', '--', PGBOUNCER, ini], { stdio: 'ignore' })
    : spawn(PGBOUNCER, [ini], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (await accepts(port)) break;
    if (i > 100 || child.exitCode !== null)
      throw new Error(`pgbouncer did not start (see ${join(dir, 'pgbouncer.log')})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    logFile: join(dir, 'pgbouncer.log'),
    url(database) {
      const u = new URL(upstream);
      u.port = String(port);
      u.hostname = '127.0.0.1';
      u.pathname = `/${database}`;
      return u.toString();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
