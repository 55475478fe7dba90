/** An open order line competing for arriving stock. */
type AllocationLine = { id: number; quantity: number; orderedAt: Date };

export type AllocationInput = {
  /** Units that arrived and are free to hand out. */
  units: number;
  lines: AllocationLine[];
  order: 'backorders-first' | 'waitlist-first';
  /** How many units the waitlist would take first under `waitlist-first` (e.g. its active subscriptions). */
  waitlistDemand: number;
};

export type Allocation = { allocate: { id: number; quantity: number }[]; toWaitlist: number };

/**
 * Pure: hands arriving units to open order lines, oldest order first (ties by id), whole lines only.
 *
 * A line is allocated only when its full quantity is covered — half an order does not ship. A line
 * that does not fit is skipped and the next (smaller) one may still fit: customers who paid come
 * before the waitlist, so a unit that can complete a later order goes there rather than to a
 * subscriber. What no line can use goes to the waitlist. Under `waitlist-first` the waitlist takes
 * up to `waitlistDemand` units first and the lines share the rest.
 */
export function allocateStock(input: AllocationInput): Allocation {
  let free = Math.max(0, Math.floor(input.units));
  let toWaitlist = 0;
  if (input.order === 'waitlist-first') {
    toWaitlist = Math.min(free, Math.max(0, input.waitlistDemand));
    free -= toWaitlist;
  }
  const ordered = [...input.lines].sort((a, b) => a.orderedAt.getTime() - b.orderedAt.getTime() || a.id - b.id);
  const allocate: Allocation['allocate'] = [];
  for (const line of ordered) {
    if (free <= 0) break;
    if (line.quantity <= free) {
      allocate.push({ id: line.id, quantity: line.quantity });
      free -= line.quantity;
    }
  }
  return { allocate, toWaitlist: toWaitlist + free };
}
