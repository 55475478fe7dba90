import { hash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { preparedRows, rows, type Db } from './client.js';

export type Count = { count: number; lastAt: Date; expiresAt: Date };

/** One event for `key`; a key whose window has ended starts a new one of `windowMs`. */
type CountEvent = { key: string; windowMs: number };
/** `slide`: each event pushes the window's end to now + windowMs (failures forgotten a window after the last one). */
type AddOptions = { slide?: boolean };

/**
 * Event counters for abuse limits (signups per mailbox, the daily cap, login failures), shared by
 * every process on one PostgreSQL (issue 21: with two web processes, per-process limits let 6
 * confirmations through a cap of 3). On PGlite — one process by construction — they live in memory.
 * Keys are hashed before they are stored (a 22-character SHA-256 prefix): no address or IP in a row.
 */
export type CounterStore = {
  /** Counts one event per entry (keys must differ) and returns each key's count after it, in order. */
  add(events: CountEvent[], now: Date, options?: AddOptions): Promise<Count[]>;
  /** Current counts; undefined where the key has none or its window has ended. */
  get(keys: string[], now: Date): Promise<(Count | undefined)[]>;
  /** Forgets keys (a successful login clears its failures). */
  reset(keys: string[]): Promise<void>;
  /** Takes back one event per key (a refused attempt does not count). */
  undo(keys: string[]): Promise<void>;
};

const hashed = (key: string) => hash('sha256', key, 'base64url').slice(0, 22);

const stores = new WeakMap<Db, CounterStore>();

/**
 * The store for `db`: the `rate_counters` table on PostgreSQL, a bounded map on PGlite — one per
 * database handle, so every caller in the process (routes, verbs) counts in the same map.
 */
export function createCounterStore(db: Db, kind: 'postgres' | 'pglite'): CounterStore {
  let store = stores.get(db);
  if (!store) {
    store = kind === 'postgres' ? postgresCounters(db) : memoryCounters();
    stores.set(db, store);
  }
  return store;
}

/** Expired rows are deleted every this many `add` calls of a process (an indexed range delete). */
const SWEEP_EVERY = 500;

function postgresCounters(db: Db): CounterStore {
  let adds = 0;
  const toCount = (r: { count: number; last_at: Date | string; expires_at: Date | string }): Count => ({
    count: Number(r.count),
    lastAt: new Date(r.last_at),
    expiresAt: new Date(r.expires_at),
  });
  return {
    async add(events, now, options = {}) {
      if (events.length === 0) return [];
      const at = now.toISOString();
      // One upsert for all keys (a signup counts its mailbox's 10-minute and 24-hour windows at once).
      const values = sql.join(
        events.map((e) => sql`(${hashed(e.key)}, ${e.windowMs}::int)`),
        sql`, `,
      );
      const out = await preparedRows<{ key: string; count: number; last_at: Date; expires_at: Date }>(
        db,
        sql`insert into rate_counters as c (key, count, last_at, expires_at)
            select v.key, 1, ${at}::timestamptz, ${at}::timestamptz + v.ms * interval '1 millisecond'
            from (values ${values}) as v(key, ms)
            on conflict (key) do update set
              count = case when c.expires_at <= excluded.last_at then 1 else c.count + 1 end,
              expires_at = case when c.expires_at <= excluded.last_at then excluded.expires_at
                           else ${options.slide ? sql`greatest(c.expires_at, excluded.expires_at)` : sql`c.expires_at`} end,
              last_at = excluded.last_at
            returning c.key, c.count, c.last_at, c.expires_at`,
      );
      if (++adds % SWEEP_EVERY === 0) {
        await rows(db, sql`delete from rate_counters where expires_at < ${at}::timestamptz`).catch(() => undefined);
      }
      const byKey = new Map(out.map((r) => [r.key, toCount(r)]));
      return events.map((e) => byKey.get(hashed(e.key))!);
    },
    async get(keys, now) {
      if (keys.length === 0) return [];
      const found = await rows<{ key: string; count: number; last_at: Date; expires_at: Date }>(
        db,
        sql`select key, count, last_at, expires_at from rate_counters
            where key in (${sql.join(
              keys.map((k) => sql`${hashed(k)}`),
              sql`, `,
            )}) and expires_at > ${now.toISOString()}::timestamptz`,
      );
      const byKey = new Map(found.map((r) => [r.key, toCount(r)]));
      return keys.map((k) => byKey.get(hashed(k)));
    },
    async reset(keys) {
      if (keys.length === 0) return;
      await rows(
        db,
        sql`delete from rate_counters where key in (${sql.join(
          keys.map((k) => sql`${hashed(k)}`),
          sql`, `,
        )})`,
      );
    },
    async undo(keys) {
      if (keys.length === 0) return;
      await rows(
        db,
        sql`update rate_counters set count = greatest(count - 1, 0) where key in (${sql.join(
          keys.map((k) => sql`${hashed(k)}`),
          sql`, `,
        )})`,
      );
    },
  };
}

/** Bounded like the in-process limiter (src/http/rate-limit.ts): expired keys go first, then the oldest. */
function memoryCounters(maxKeys = 200_000): CounterStore {
  const counts = new Map<string, Count>();
  const live = (c: Count | undefined, now: Date) => (c && c.expiresAt > now ? c : undefined);
  return {
    async add(events, now, options = {}) {
      if (counts.size >= maxKeys) {
        for (const [k, c] of counts) if (c.expiresAt <= now) counts.delete(k);
        for (const k of counts.keys()) {
          if (counts.size < maxKeys * 0.9) break;
          counts.delete(k);
        }
      }
      return events.map((e) => {
        const k = hashed(e.key);
        const before = live(counts.get(k), now);
        const end = new Date(now.getTime() + e.windowMs);
        const after: Count = before
          ? {
              count: before.count + 1,
              lastAt: now,
              expiresAt: options.slide && end > before.expiresAt ? end : before.expiresAt,
            }
          : { count: 1, lastAt: now, expiresAt: end };
        counts.delete(k);
        counts.set(k, after);
        return { ...after };
      });
    },
    async get(keys, now) {
      return keys.map((k) => {
        const c = live(counts.get(hashed(k)), now);
        return c ? { ...c } : undefined;
      });
    },
    async reset(keys) {
      for (const k of keys) counts.delete(hashed(k));
    },
    async undo(keys) {
      for (const k of keys) {
        const c = counts.get(hashed(k));
        if (c) c.count = Math.max(0, c.count - 1);
      }
    },
  };
}
