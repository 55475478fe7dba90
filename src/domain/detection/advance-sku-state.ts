import type { InventoryEvent } from '../../db/schema/index.js';

/** A SKU's detection state as stored on `products` (see the column comments there). */
export type SkuState = {
  sku: string;
  quantity: number;
  eta: string | null;
  etaReason: string | null;
  scannedEventId: number;
  stockAnnounced: boolean;
  restockPendingSince: Date | null;
  restockPendingEventId: number | null;
  announcedEta: string | null;
};

export type DetectionRules = {
  minQuantity: number;
  settleSeconds: number;
  countReturns: boolean;
  etaChangeMinDays: number;
};

export type SkuDecision = {
  next: SkuState & { scanAfter: Date | null };
  restock?: { inventoryEventId: number; quantity: number };
  eta?: { oldEta: string | null; newEta: string; reason: string | null; inventoryEventId: number };
};

const DAY_MS = 86_400_000;
const days = (a: string, b: string) =>
  Math.round((Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY_MS);

/**
 * Pure: folds a SKU's new inventory events (ascending id) into its detection state at time `now`.
 *
 * Restock: an increase that leaves the quantity ≥ minQuantity while the SKU is not announced as in
 * stock starts a settle window (unless its reason is `return` and returns do not count); any event
 * below the threshold ends the window and the "in stock" state. When the window has lasted
 * settleSeconds the restock is confirmed, keyed by the event that started the window.
 * ETA: only for a SKU below the threshold at the end of the batch: the final ETA is compared with
 * the last announced one, so a change and its undo within one batch cancel out; a first ETA, or one
 * that moved ≥ etaChangeMinDays, is announced (keyed by the batch's last event).
 * Baselines: the creation event of a product, or the first event of a product created outside the
 * intake path, sets the state without announcing anything (nobody can be waiting for it yet).
 */
export function advanceSkuState(
  state: SkuState,
  events: InventoryEvent[],
  now: Date,
  rules: DetectionRules,
): SkuDecision {
  const s: SkuState = { ...state };
  let pending =
    s.restockPendingSince && s.restockPendingEventId
      ? { since: s.restockPendingSince, eventId: s.restockPendingEventId }
      : null;
  for (const [i, e] of events.entries()) {
    if (
      e.oldQuantity === null ||
      (i === 0 && state.scannedEventId === 0 && !state.stockAnnounced && !pending && e.oldQuantity >= rules.minQuantity)
    ) {
      s.stockAnnounced = (e.oldQuantity ?? e.newQuantity) >= rules.minQuantity;
      if (e.oldQuantity === null) s.announcedEta = e.newEta;
      pending = null;
      if (e.oldQuantity === null) continue;
    }
    if (e.newQuantity < rules.minQuantity) {
      s.stockAnnounced = false;
      pending = null;
      continue;
    }
    if (s.stockAnnounced || pending) continue;
    const counted = e.newQuantity > e.oldQuantity! && (rules.countReturns || e.reason !== 'return');
    if (counted) pending = { since: e.receivedAt, eventId: e.id };
  }

  const decision: SkuDecision = { next: { ...s, scanAfter: null } };
  if (
    pending &&
    now.getTime() - pending.since.getTime() >= rules.settleSeconds * 1000 &&
    s.quantity >= rules.minQuantity
  ) {
    decision.restock = { inventoryEventId: pending.eventId, quantity: s.quantity };
    s.stockAnnounced = true;
    // A new out-of-stock period starts from a clean slate: its first ETA is news again.
    s.announcedEta = null;
    pending = null;
  }

  const last = events.at(-1);
  if (last && s.quantity < rules.minQuantity && s.eta !== null && s.eta !== s.announcedEta) {
    if (s.announcedEta === null || Math.abs(days(s.eta, s.announcedEta)) >= Math.max(1, rules.etaChangeMinDays)) {
      decision.eta = { oldEta: s.announcedEta, newEta: s.eta, reason: s.etaReason, inventoryEventId: last.id };
      s.announcedEta = s.eta;
    }
  }

  s.restockPendingSince = pending?.since ?? null;
  s.restockPendingEventId = pending?.eventId ?? null;
  if (last) s.scannedEventId = last.id;
  decision.next = {
    ...s,
    scanAfter: pending ? new Date(pending.since.getTime() + rules.settleSeconds * 1000) : null,
  };
  return decision;
}
