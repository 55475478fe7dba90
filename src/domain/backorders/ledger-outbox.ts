import type { Deps } from '../../deps.js';
import { enqueueDelivery } from '../notifications/enqueue-delivery.js';
import type { BackorderOutbox } from './notices.js';

/**
 * The ledger-backed outbox: every notice is one transactional delivery keyed
 * `<kind>:<line id>:<revision>` (so a replay queues nothing new), in the caller's transaction.
 */
export function createLedgerOutbox(deps: Deps): BackorderOutbox {
  return {
    async notices(tx, notices) {
      for (const n of notices) {
        await enqueueDelivery(
          deps,
          { dedupeKey: `${n.kind}:${n.line.id}:${n.revision}`, to: n.line.email, toNormalized: n.line.emailNormalized, templateKey: n.kind, locale: n.line.locale, variables: n.variables, eventId: n.line.id, transactional: true },
          tx,
        );
      }
    },
    async orderEvents() {
      // The outbound webhook channel arrives with the ledger restructure (issue 8).
    },
  };
}
