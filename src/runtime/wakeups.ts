import postgres from 'postgres';
import type { DatabaseConfig } from '../config.js';
import { rawClient, type Db } from '../db/client.js';
import { publishWake, WAKE_CHANNEL, wakeTopics, type WakeTopic } from '../db/wake.js';
import type { Logger } from '../log.js';

export type WakeListener = { close(): Promise<void> };

/**
 * Subscribes to the wake channel (src/db/wake.ts). PostgreSQL: postgres.js `listen` keeps ONE dedicated
 * connection outside the pool and re-issues LISTEN after it reconnects; `onConnect` runs on every
 * (re)connection, because notifications sent while disconnected are lost and the caller must catch up.
 * PGlite: the instance's own in-process LISTEN (NOTIFY is delivered at commit, as on the server).
 *
 * Behind a transaction pooler (`database.prepare === false`, docs/poolers.md) a LISTEN through the pool
 * would be registered on a server connection that is handed to someone else after the statement: it
 * listens on `database.listenUrl` (DATABASE_LISTEN_URL, a direct session connection) instead, or not
 * at all — then this says so once, `onConnect` still runs once, and work waits for the cron ticks.
 */
export async function listenWakeups(
  deps: { db: Db; kind: 'postgres' | 'pglite'; log: Logger; database?: DatabaseConfig },
  onTopic: (topic: WakeTopic) => void,
  onConnect: () => void,
): Promise<WakeListener> {
  const raw = rawClient(deps.db, deps.kind);
  const database = deps.database;
  const handle = (payload: string) => {
    if ((wakeTopics as readonly string[]).includes(payload)) onTopic(payload as WakeTopic);
    else deps.log.warn({ channel: WAKE_CHANNEL }, 'unknown wake-up topic ignored');
  };
  if (raw.kind === 'postgres' && database?.kind === 'postgres' && database.listenUrl) {
    // One session connection of its own, never prepared statements (it only runs LISTEN).
    const direct = postgres(database.listenUrl, { max: 1, prepare: false, onnotice: () => {} });
    const { unlisten } = await direct.listen(WAKE_CHANNEL, handle, onConnect);
    deps.log.info({ channel: WAKE_CHANNEL }, 'wake-ups: LISTEN on DATABASE_LISTEN_URL (a direct connection)');
    return {
      close: () =>
        unlisten()
          .catch(() => undefined)
          .then(() => direct.end({ timeout: 5 })),
    };
  }
  if (raw.kind === 'postgres' && database?.kind === 'postgres' && database.prepare === false) {
    deps.log.warn(
      { channel: WAKE_CHANNEL },
      'wake-ups: DATABASE_PREPARED_STATEMENTS is false (a transaction pooler) and DATABASE_LISTEN_URL is not set: not listening; work is picked up at the cron ticks',
    );
    onConnect();
    return { close: async () => {} };
  }
  if (raw.kind === 'postgres') {
    const { unlisten } = await raw.sql.listen(WAKE_CHANNEL, handle, onConnect);
    return { close: () => unlisten().catch(() => undefined) };
  }
  const unlisten = await raw.pg.listen(WAKE_CHANNEL, handle);
  onConnect();
  return { close: () => unlisten().catch(() => undefined) };
}

/**
 * A coalescing publisher: calls while a NOTIFY is in flight share the next one, so a burst of signups
 * sends two statements, not one per signup. Never throws (a lost wake-up is caught by the cron tick).
 */
export function createWakePublisher(db: Db, topic: WakeTopic, log: Logger): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    running = true;
    again = false;
    publishWake(db, topic)
      .catch((err: unknown) => log.warn({ err, topic }, 'wake-up not sent; the cron tick will pick the work up'))
      .finally(() => {
        running = false;
        if (again) run();
      });
  };
  return () => {
    if (running) again = true;
    else run();
  };
}
