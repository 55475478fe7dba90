import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishWake } from '../../src/db/wake.js';
import { createLogger } from '../../src/log.js';
import { listenWakeups } from '../../src/runtime/wakeups.js';
import { onPostgres } from '../helpers/db.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';

// Issue 21 point 1 (docs/poolers.md): behind a transaction pooler (DATABASE_PREPARED_STATEMENTS=false) a
// LISTEN through the pool would land on a server connection handed to someone else. Without
// DATABASE_LISTEN_URL the process says so once at start and waits for the cron ticks; with it, it
// listens on that direct connection.
const lines: string[] = [];
let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps({ log: createLogger('info', { write: (s: string) => void lines.push(s) }) });
});
afterAll(() => deps?.close());

describe.skipIf(!onPostgres)('wake-ups behind a transaction pooler (PostgreSQL)', () => {
  it('no DATABASE_LISTEN_URL: one warning naming both settings, onConnect once, nothing heard', async () => {
    if (deps.config.database.kind !== 'postgres') throw new Error('PostgreSQL expected');
    lines.length = 0;
    const heard: string[] = [];
    let connects = 0;
    const { listenUrl: _none, ...pooled } = deps.config.database;
    const listener = await listenWakeups(
      { db: deps.db, kind: 'postgres', log: deps.log, database: { ...pooled, prepare: false } },
      (t) => heard.push(t),
      () => (connects += 1),
    );
    const warnings = lines.map((l) => JSON.parse(l) as { level: number | string; msg: string });
    const said = warnings.filter((w) => w.msg.includes('not listening'));
    expect(said).toHaveLength(1);
    expect(said[0]!.msg).toContain('DATABASE_PREPARED_STATEMENTS is false');
    expect(said[0]!.msg).not.toContain('[redacted]'); // the log scrubber once ate the setting's name (`NAME=false` looked opaque)
    expect(said[0]!.msg).toContain('DATABASE_LISTEN_URL');
    expect(said[0]!.msg).toContain('cron ticks');
    expect(connects).toBe(1);
    await publishWake(deps.db, 'deliveries');
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toEqual([]);
    await listener.close();
  });

  it('with DATABASE_LISTEN_URL: says it listens there, and hears a NOTIFY on the channel', async () => {
    if (deps.config.database.kind !== 'postgres') throw new Error('PostgreSQL expected');
    lines.length = 0;
    const heard: string[] = [];
    const listener = await listenWakeups(
      {
        db: deps.db,
        kind: 'postgres',
        log: deps.log,
        database: { ...deps.config.database, prepare: false, listenUrl: deps.config.database.url },
      },
      (t) => heard.push(t),
      () => {},
    );
    expect(lines.some((l) => l.includes('LISTEN on DATABASE_LISTEN_URL'))).toBe(true);
    await publishWake(deps.db, 'deliveries');
    await expect.poll(() => heard, { timeout: 5000 }).toEqual(['deliveries']);
    await listener.close();
  });
});
