import { describe, expect, it } from 'vitest';
import { allocateStock } from '../../../src/domain/backorders/allocate-stock.js';

describe('allocateStock', () => {
  const at = (d: number) => new Date(Date.UTC(2026, 0, d));
  const lines = [
    { id: 3, quantity: 3, orderedAt: at(3) },
    { id: 1, quantity: 2, orderedAt: at(1) },
    { id: 2, quantity: 2, orderedAt: at(2) },
  ];
  it('5 units, lines 2, 2, 3 oldest first: first two allocated, one unit to the waitlist', () => {
    expect(allocateStock({ units: 5, lines, order: 'backorders-first', waitlistDemand: 10 })).toEqual({
      allocate: [
        { id: 1, quantity: 2 },
        { id: 2, quantity: 2 },
      ],
      toWaitlist: 1,
    });
  });
  it('whole lines only; a later smaller line may take what an older large one cannot use', () => {
    expect(
      allocateStock({
        units: 3,
        lines: [
          { id: 1, quantity: 5, orderedAt: at(1) },
          { id: 2, quantity: 3, orderedAt: at(2) },
        ],
        order: 'backorders-first',
        waitlistDemand: 0,
      }),
    ).toEqual({ allocate: [{ id: 2, quantity: 3 }], toWaitlist: 0 });
  });
  it('ties by order time go by id', () => {
    expect(
      allocateStock({
        units: 1,
        lines: [
          { id: 9, quantity: 1, orderedAt: at(1) },
          { id: 4, quantity: 1, orderedAt: at(1) },
        ],
        order: 'backorders-first',
        waitlistDemand: 0,
      }).allocate,
    ).toEqual([{ id: 4, quantity: 1 }]);
  });
  it('waitlist-first serves the waitlist demand first', () => {
    expect(allocateStock({ units: 5, lines, order: 'waitlist-first', waitlistDemand: 1 })).toEqual({
      allocate: [
        { id: 1, quantity: 2 },
        { id: 2, quantity: 2 },
      ],
      toWaitlist: 1,
    });
    expect(allocateStock({ units: 5, lines, order: 'waitlist-first', waitlistDemand: 4 })).toEqual({
      allocate: [],
      toWaitlist: 5,
    });
  });
  it('no units or no lines', () => {
    expect(allocateStock({ units: 0, lines, order: 'backorders-first', waitlistDemand: 0 })).toEqual({
      allocate: [],
      toWaitlist: 0,
    });
    expect(allocateStock({ units: 4, lines: [], order: 'backorders-first', waitlistDemand: 0 })).toEqual({
      allocate: [],
      toWaitlist: 4,
    });
  });
});
