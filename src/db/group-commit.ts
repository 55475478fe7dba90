/**
 * Generic group commit: items that arrive while earlier batches are committing wait (at most one
 * commit, typically a millisecond or two) and are then handed to `run` together, so one statement and
 * one commit cover them all. When idle, an item is flushed at the next turn of the event loop (no
 * timer): batching adds no latency at low load. It knows nothing about what it batches.
 *
 * `run` returns one result per item (same order). A result may be an Error instance: that item's
 * promise rejects with it, the others are unaffected. If `run` itself throws, every item of the batch
 * resolves with what `onBatchError(err, items)` returns for it (e.g. the caller's fallback path).
 */
export type GroupCommit<I, R> = {
  submit(item: I): Promise<R>;
  /** Batches run and items they carried (how well grouping works; for tests and metrics). */
  readonly stats: { batches: number; items: number };
};

export function createGroupCommit<I, R>(o: {
  run(items: I[]): Promise<(R | Error)[]>;
  /** Called once per failed batch; returns one result per item, in order. */
  onBatchError(err: unknown, items: I[]): R[];
  /** Most items per batch: bounds statement size and lock time. */
  maxBatch: number;
  /** Batches in flight at once (one per connection that can usefully commit in parallel). */
  maxInFlight: number;
}): GroupCommit<I, R> {
  type Entry = { item: I; resolve(r: R): void; reject(e: unknown): void };
  const queue: Entry[] = [];
  let inFlight = 0;
  let scheduled = false;
  const stats = { batches: 0, items: 0 };

  const schedule = () => {
    if (scheduled || inFlight >= o.maxInFlight || queue.length === 0) return;
    scheduled = true;
    // setImmediate runs after the current I/O phase: every request parsed in it joins this batch.
    setImmediate(() => {
      scheduled = false;
      while (inFlight < o.maxInFlight && queue.length > 0) {
        const batch = queue.splice(0, o.maxBatch);
        inFlight += 1;
        void flush(batch).finally(() => {
          inFlight -= 1;
          schedule();
        });
      }
    });
  };

  async function flush(batch: Entry[]): Promise<void> {
    let results: (R | Error)[];
    try {
      results = await o.run(batch.map((e) => e.item));
      stats.batches += 1;
      stats.items += batch.length;
    } catch (err) {
      const fallback = o.onBatchError(
        err,
        batch.map((e) => e.item),
      );
      for (const [i, e] of batch.entries()) e.resolve(fallback[i] as R);
      return;
    }
    batch.forEach((e, i) => {
      const r = results[i] as R | Error;
      if (r instanceof Error) e.reject(r);
      else e.resolve(r);
    });
  }

  return {
    stats,
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
  };
}
