import type { SQL } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { enqueueDelivery, fanOutInsert, type EnqueueInput } from './enqueue.js';
import type { DeliveryKind } from './kinds/index.js';

/**
 * THE way domain code queues a message: a port over the delivery ledger, built once by the
 * composition root (src/services.ts) and handed to the verbs that queue (in their `ctx.outbox`).
 * Domain files do not import ledger/enqueue.ts. Everything queued is idempotent on the kind's dedupe
 * key and written inside the caller's transaction, so a message exists iff the change that caused it
 * committed. (Backorder notices have a typed adapter over this port: domain/backorders/ledger-outbox.ts.)
 */
export type Outbox = {
  /** One message of `kind` in `tx`. @returns its delivery id, or undefined when the key existed already. */
  enqueue(tx: Db, kind: DeliveryKind, input: EnqueueInput): Promise<number | undefined>;
  /** The INSERT of a set-based fan-out, for a statement's `WITH` (see `fanOutInsert`). */
  fanOut(o: Parameters<typeof fanOutInsert>[0]): SQL;
};

/** The ledger-backed outbox (the only implementation). */
export function createOutbox(deps: { clock: Clock }): Outbox {
  return {
    enqueue: (tx, kind, input) => enqueueDelivery(deps, tx, kind, input),
    fanOut: (o) => fanOutInsert(o),
  };
}
