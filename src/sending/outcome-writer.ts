import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import { createGroupCommit } from '../db/group-commit.js';
import { recordOutcomes, type Outcome } from '../ledger/record-outcomes.js';

/**
 * Records send outcomes as they happen, in small groups: an outcome that arrives while the previous
 * group commits joins the next one (group commit, no timer: an idle writer flushes at the next turn of
 * the event loop). The sender holds a message's in-flight slot until `write` resolves, so at any
 * moment at most the in-flight limit of messages are sent-but-unrecorded: that bounds the duplicates
 * a `kill -9` can cause.
 *
 * The write is idempotent (record-outcomes.ts), so a failure — a dropped connection, a failover —
 * is retried with exponential backoff for up to `retryBudgetMs` before `write` rejects (the caller
 * then stops: the rows return after their lease).
 */
export type OutcomeWriter = {
  write(outcome: Outcome): Promise<void>;
  readonly stats: { batches: number; items: number; retries: number };
};

export function createOutcomeWriter(
  deps: { db: Db; clock: Clock; log: Logger },
  o: { workerId: string; retryBudgetMs: number; maxInFlight: number; maxBatch?: number },
): OutcomeWriter {
  const stats = { batches: 0, items: 0, retries: 0 };
  const group = createGroupCommit<Outcome, void>({
    async run(items) {
      try {
        await recordWithRetry(items);
        stats.batches += 1;
        stats.items += items.length;
        return items.map(() => undefined);
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        return items.map(() => e);
      }
    },
    // run() never throws (it returns an Error per item); this is only the contract's fallback.
    onBatchError: (_err, items) => items.map(() => undefined),
    maxBatch: o.maxBatch ?? 50,
    maxInFlight: o.maxInFlight,
  });

  async function recordWithRetry(items: Outcome[]): Promise<void> {
    const started = Date.now();
    let delay = 50;
    for (let attempt = 1; ; attempt++) {
      try {
        await recordOutcomes(deps, o.workerId, items);
        return;
      } catch (err) {
        if (Date.now() - started + delay > o.retryBudgetMs) throw err;
        stats.retries += 1;
        // Only the error's message and code: a driver error may carry the statement's parameters.
        const cause = { message: (err as Error).message, code: (err as { code?: string }).code };
        deps.log.warn(
          { cause, attempt, outcomes: items.length, retryInMs: delay },
          'recording send outcomes failed; retrying the (idempotent) write',
        );
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
  }

  return { stats, write: (outcome) => group.submit(outcome) };
}
