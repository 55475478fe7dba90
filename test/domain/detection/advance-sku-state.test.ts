import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import type { InventoryEvent } from '../../../src/db/schema/index.js';
import {
  advanceSkuState,
  type DetectionRules,
  type SkuState,
} from '../../../src/domain/detection/advance-sku-state.js';

// The pure detection rule, transition by transition as its contract comment states them. Time is a
// manual clock: a settle window "lasts" because the test moves the clock, never because it sleeps.
const rules: DetectionRules = { minQuantity: 1, settleSeconds: 60, countReturns: false, etaChangeMinDays: 3 };
const T0 = '2026-03-01T12:00:00Z';

let nextId = 100;
function event(
  clock: ManualClock,
  e: Partial<InventoryEvent> & { oldQuantity: number | null; newQuantity: number },
): InventoryEvent {
  return {
    id: ++nextId,
    sku: 'MUG-RED',
    oldEta: null,
    newEta: null,
    etaReason: null,
    reason: 'restock',
    source: 'api',
    receivedAt: clock.now(),
    ...e,
  };
}

/** A SKU known to the scan (scanned up to event 1), out of stock and not announced. */
function outOfStock(over: Partial<SkuState> = {}): SkuState {
  return {
    sku: 'MUG-RED',
    quantity: 0,
    eta: null,
    etaReason: null,
    scannedEventId: 1,
    stockAnnounced: false,
    restockPendingSince: null,
    restockPendingEventId: null,
    announcedEta: null,
    ...over,
  };
}

describe('advanceSkuState: restock', () => {
  it('an increase to ≥ RESTOCK_MIN_QUANTITY starts a settle window: nothing announced yet, a scan is due when it ends', () => {
    const clock = new ManualClock(T0);
    const e = event(clock, { oldQuantity: 0, newQuantity: 5 });
    const d = advanceSkuState(outOfStock({ quantity: 5 }), [e], clock.now(), rules);
    expect(d.restock).toBeUndefined();
    expect(d.next).toMatchObject({
      restockPendingEventId: e.id,
      restockPendingSince: e.receivedAt,
      stockAnnounced: false,
      scannedEventId: e.id,
    });
    expect(d.next.scanAfter?.toISOString()).toBe('2026-03-01T12:01:00.000Z');
  });

  it('when the window has lasted RESTOCK_SETTLE_SECONDS the restock is confirmed, keyed by the event that started it', () => {
    const clock = new ManualClock(T0);
    const start = event(clock, { oldQuantity: 0, newQuantity: 5 });
    const first = advanceSkuState(outOfStock({ quantity: 5 }), [start], clock.now(), rules);
    clock.advance(59_999);
    expect(advanceSkuState(first.next, [], clock.now(), rules).restock).toBeUndefined();
    clock.advance(1);
    const later = event(clock, { oldQuantity: 5, newQuantity: 8 });
    const d = advanceSkuState({ ...first.next, quantity: 8 }, [later], clock.now(), rules);
    expect(d.restock).toEqual({ inventoryEventId: start.id, quantity: 8 });
    expect(d.next).toMatchObject({
      stockAnnounced: true,
      restockPendingSince: null,
      restockPendingEventId: null,
      scanAfter: null,
    });
  });

  it('an event below the threshold ends the window: no restock, however long ago it started', () => {
    const clock = new ManualClock(T0);
    const up = event(clock, { oldQuantity: 0, newQuantity: 5 });
    clock.advance(10_000);
    const down = event(clock, { oldQuantity: 5, newQuantity: 0 });
    clock.advance(3_600_000);
    const d = advanceSkuState(outOfStock({ quantity: 0 }), [up, down], clock.now(), rules);
    expect(d.restock).toBeUndefined();
    expect(d.next).toMatchObject({
      restockPendingSince: null,
      restockPendingEventId: null,
      stockAnnounced: false,
      scanAfter: null,
    });
  });

  it('a SKU announced in stock that drops below the threshold is out of stock again; its next increase starts a new window', () => {
    const clock = new ManualClock(T0);
    const announced = outOfStock({ quantity: 0, stockAnnounced: true });
    const down = event(clock, { oldQuantity: 4, newQuantity: 0 });
    const afterDown = advanceSkuState(announced, [down], clock.now(), rules);
    expect(afterDown.next.stockAnnounced).toBe(false);
    clock.advance(1000);
    const up = event(clock, { oldQuantity: 0, newQuantity: 2 });
    expect(
      advanceSkuState({ ...afterDown.next, quantity: 2 }, [up], clock.now(), rules).next.restockPendingEventId,
    ).toBe(up.id);
  });

  it('while announced in stock, further increases start nothing', () => {
    const clock = new ManualClock(T0);
    const e = event(clock, { oldQuantity: 3, newQuantity: 9 });
    clock.advance(3_600_000);
    const d = advanceSkuState(outOfStock({ quantity: 9, stockAnnounced: true }), [e], clock.now(), rules);
    expect(d.restock).toBeUndefined();
    expect(d.next.restockPendingEventId).toBeNull();
  });

  it('a `return` increase does not count unless RESTOCK_COUNT_RETURNS; with it, it does', () => {
    const clock = new ManualClock(T0);
    const e = event(clock, { oldQuantity: 0, newQuantity: 1, reason: 'return' });
    expect(advanceSkuState(outOfStock({ quantity: 1 }), [e], clock.now(), rules).next.restockPendingEventId).toBeNull();
    expect(
      advanceSkuState(outOfStock({ quantity: 1 }), [e], clock.now(), { ...rules, countReturns: true }).next
        .restockPendingEventId,
    ).toBe(e.id);
  });

  it('a confirmed restock starts the next out-of-stock period with a clean slate: its first ETA is news again', () => {
    const clock = new ManualClock(T0);
    const start = event(clock, { oldQuantity: 0, newQuantity: 5 });
    clock.advance(60_000);
    const d = advanceSkuState(outOfStock({ quantity: 5, announcedEta: '2026-04-01' }), [start], clock.now(), {
      ...rules,
      settleSeconds: 0,
    });
    expect(d.restock?.inventoryEventId).toBe(start.id);
    expect(d.next.announcedEta).toBeNull();
  });
});

describe('advanceSkuState: ETA', () => {
  it('a first ETA for a SKU below the threshold is announced, keyed by the batch’s last event', () => {
    const clock = new ManualClock(T0);
    const a = event(clock, { oldQuantity: 0, newQuantity: 0, newEta: '2026-03-20', etaReason: 'supplier delay' });
    const b = event(clock, { oldQuantity: 0, newQuantity: 0, oldEta: '2026-03-20', newEta: '2026-03-20' });
    const d = advanceSkuState(
      outOfStock({ eta: '2026-03-20', etaReason: 'supplier delay' }),
      [a, b],
      clock.now(),
      rules,
    );
    expect(d.eta).toEqual({ oldEta: null, newEta: '2026-03-20', reason: 'supplier delay', inventoryEventId: b.id });
    expect(d.next.announcedEta).toBe('2026-03-20');
  });

  it('a move of ≥ ETA_CHANGE_MIN_DAYS from the announced ETA is announced; a smaller one is not', () => {
    const clock = new ManualClock(T0);
    const small = event(clock, { oldQuantity: 0, newQuantity: 0, oldEta: '2026-03-20', newEta: '2026-03-22' });
    expect(
      advanceSkuState(outOfStock({ eta: '2026-03-22', announcedEta: '2026-03-20' }), [small], clock.now(), rules).eta,
    ).toBeUndefined();
    const big = event(clock, { oldQuantity: 0, newQuantity: 0, oldEta: '2026-03-20', newEta: '2026-03-23' });
    expect(
      advanceSkuState(outOfStock({ eta: '2026-03-23', announcedEta: '2026-03-20' }), [big], clock.now(), rules).eta,
    ).toMatchObject({ oldEta: '2026-03-20', newEta: '2026-03-23' });
  });

  it('a change and its undo within one batch cancel out', () => {
    const clock = new ManualClock(T0);
    const away = event(clock, { oldQuantity: 0, newQuantity: 0, oldEta: '2026-03-20', newEta: '2026-05-01' });
    const back = event(clock, { oldQuantity: 0, newQuantity: 0, oldEta: '2026-05-01', newEta: '2026-03-20' });
    expect(
      advanceSkuState(outOfStock({ eta: '2026-03-20', announcedEta: '2026-03-20' }), [away, back], clock.now(), rules)
        .eta,
    ).toBeUndefined();
  });

  it('no ETA news for a SKU at or above the threshold at the end of the batch', () => {
    const clock = new ManualClock(T0);
    const e = event(clock, { oldQuantity: 0, newQuantity: 3, newEta: '2026-03-20' });
    expect(
      advanceSkuState(outOfStock({ quantity: 3, eta: '2026-03-20' }), [e], clock.now(), rules).eta,
    ).toBeUndefined();
  });
});

describe('advanceSkuState: baselines', () => {
  it('the creation event of a product sets the state without announcing anything', () => {
    const clock = new ManualClock(T0);
    const created = event(clock, { oldQuantity: null, newQuantity: 7, newEta: null });
    clock.advance(3_600_000);
    const d = advanceSkuState(outOfStock({ quantity: 7, scannedEventId: 0 }), [created], clock.now(), rules);
    expect(d.restock).toBeUndefined();
    expect(d.next).toMatchObject({ stockAnnounced: true, restockPendingEventId: null, scannedEventId: created.id });
    const createdOut = event(clock, { oldQuantity: null, newQuantity: 0, newEta: '2026-04-01' });
    const out = advanceSkuState(
      outOfStock({ quantity: 0, eta: '2026-04-01', scannedEventId: 0 }),
      [createdOut],
      clock.now(),
      rules,
    );
    expect(out.eta).toBeUndefined();
    expect(out.next).toMatchObject({ stockAnnounced: false, announcedEta: '2026-04-01' });
  });

  it('the first event of a product created outside the intake path (already in stock) is a baseline, not a restock', () => {
    const clock = new ManualClock(T0);
    const first = event(clock, { oldQuantity: 4, newQuantity: 6 });
    clock.advance(3_600_000);
    const d = advanceSkuState(outOfStock({ quantity: 6, scannedEventId: 0 }), [first], clock.now(), rules);
    expect(d.restock).toBeUndefined();
    expect(d.next).toMatchObject({ stockAnnounced: true, restockPendingEventId: null });
  });
});
