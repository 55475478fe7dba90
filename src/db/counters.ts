import { hash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { preparedRows, rows, type Db } from './client.js';
import { createGroupCommit } from './group-commit.js';

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
  /**
   * Notes `events` counted in the table by another statement (the signup group commit's): they
   * advance the sweep of expired rows as `add`'s own events do. Never waits.
   */
  countedElsewhere(events: number, now: Date): void;
};

const hashed = (key: string) => hash('sha256', key, 'base64url').slice(0, 22);

/**
 * The ON CONFLICT clause of every upsert into `rate_counters as c` (the store's batches and the signup
 * statement's): a key whose window has ended starts a new one with the new events; otherwise they are
 * added, and `slide` pushes the window's end out to the new event's.
 */
export function counterUpsertConflict(slide: boolean): SQL {
  return sql`on conflict (key) do update set
    count = case when c.expires_at <= excluded.last_at then excluded.count else c.count + excluded.count end,
    expires_at = case when c.expires_at <= excluded.last_at then excluded.expires_at
                 else ${slide ? sql`greatest(c.expires_at, excluded.expires_at)` : sql`c.expires_at`} end,
    last_at = excluded.last_at`;
}

/** A key as `rate_counters` stores it (for a statement that counts in the table itself). */
export const counterKey = hashed;

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

/** Expired rows are deleted every this many counted events of a process (an indexed range delete). */
const SWEEP_EVERY = 500;

/** One `add` call waiting for the next counter batch. */
type PendingAdd = { events: CountEvent[]; now: Date; slide: boolean };
type CounterRow = { key: string; count: number; last_at: Date | string; expires_at: Date | string };

const toCount = (r: CounterRow): Count => ({
  count: Number(r.count),
  lastAt: new Date(r.last_at),
  expiresAt: new Date(r.expires_at),
});

/**
 * The `add` calls in flight are group-committed (src/db/group-commit.ts): every signup arriving
 * alongside is counted by ONE upsert (issue 23: one round trip per signup cost ≈ 280 µs of the web
 * process's CPU). The result is what counting the calls one after another, in submission order, would
 * give: a key counted by k calls of one batch is upserted once with k events, and the i-th of them
 * gets the count before the batch + i. A key's events are taken at the latest `now` among them (the
 * calls of one batch arrived within a commit of each other). Rows are locked in key order, so two
 * batches (from any process) cannot deadlock over the keys they share.
 */
function postgresCounters(db: Db): CounterStore {
  let events = 0;
  const upsert = async (batch: PendingAdd[], slide: boolean): Promise<Count[][]> => {
    // Per key: how many events, its window and the latest `now`; per call: each event's rank in its key.
    const keys = new Map<string, { n: number; ms: number; at: number }>();
    const ranks = batch.map((call) =>
      call.events.map((e) => {
        const k = hashed(e.key);
        const seen = keys.get(k);
        if (!seen) {
          keys.set(k, { n: 1, ms: e.windowMs, at: call.now.getTime() });
          return { k, rank: 1 };
        }
        seen.n += 1;
        seen.at = Math.max(seen.at, call.now.getTime());
        return { k, rank: seen.n };
      }),
    );
    const input = [...keys].map(([key, v]) => ({ key, ms: v.ms, n: v.n, at: new Date(v.at).toISOString() }));
    const out = await preparedRows<CounterRow>(
      db,
      sql`insert into rate_counters as c (key, count, last_at, expires_at)
          select v.key, v.n, v.at, v.at + v.ms * interval '1 millisecond'
          from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as v(key text, ms int, n int, at timestamptz)
          order by v.key
          ${counterUpsertConflict(slide)}
          returning c.key, c.count, c.last_at, c.expires_at`,
    );
    const after = new Map(out.map((r) => [r.key, toCount(r)]));
    return ranks.map((call) =>
      call.map(({ k, rank }) => {
        const c = after.get(k)!;
        return { ...c, count: c.count - keys.get(k)!.n + rank };
      }),
    );
  };
  // In passing, not awaited by the batch. Key order and SKIP LOCKED: it never waits on (or deadlocks
  // with) a batch that holds some of the same rows; what it skips goes next time.
  const sweep = (now: Date) =>
    void rows(
      db,
      sql`delete from rate_counters where key in (
            select key from rate_counters where expires_at < ${now.toISOString()}::timestamptz
            order by key for update skip locked)`,
    ).catch(() => undefined);
  const note = (counted: number, now: Date) => {
    const before = events;
    events += counted;
    if (Math.floor(events / SWEEP_EVERY) > Math.floor(before / SWEEP_EVERY)) sweep(now);
  };
  const batcher = createGroupCommit<PendingAdd, Count[]>({
    async run(batch) {
      try {
        // Sliding (login failures) and fixed windows (signups) are separate statements; usually one runs.
        const results = new Map<PendingAdd, Count[]>();
        for (const slide of [false, true]) {
          const part = batch.filter((call) => call.slide === slide);
          if (part.length === 0) continue;
          const counted = await upsert(part, slide);
          for (const [i, call] of part.entries()) results.set(call, counted[i]!);
        }
        note(
          batch.reduce((n, call) => n + call.events.length, 0),
          batch[0]!.now,
        );
        return batch.map((call) => results.get(call)!);
      } catch (err) {
        // Each call fails as it would have alone (the caller answers 500); nothing here is retried.
        const error = err instanceof Error ? err : new Error(String(err));
        return batch.map(() => error);
      }
    },
    onBatchError: (err) => {
      throw err; // unreachable: `run` turns its errors into per-call results
    },
    maxBatch: 500,
    // As the signup group commit: a few batches in flight keep the pool busy while one commits.
    maxInFlight: 3,
  });
  return {
    async add(events, now, options = {}) {
      if (events.length === 0) return [];
      return batcher.submit({ events, now, slide: options.slide ?? false });
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
    countedElsewhere: note,
    async undo(keys) {
      if (keys.length === 0) return;
      await rows(
        db,
        // Rows locked in key order, as the batches lock them.
        sql`update rate_counters set count = greatest(count - 1, 0) where key in (
              select key from rate_counters where key in (${sql.join(
                keys.map((k) => sql`${hashed(k)}`),
                sql`, `,
              )}) order by key for update)`,
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
    countedElsewhere() {
      // Bounded in `add`.
    },
    async undo(keys) {
      for (const k of keys) {
        const c = counts.get(hashed(k));
        if (c) c.count = Math.max(0, c.count - 1);
      }
    },
  };
}
