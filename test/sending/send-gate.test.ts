import { describe, expect, it } from 'vitest';
import { createSendGate, inFlightLimit } from '../../src/sending/send-gate.js';

describe('send gate', () => {
  it('holds at most maxInFlight and serves waiters in arrival order', async () => {
    const gate = createSendGate(2, 0);
    const order: string[] = [];
    const a = await gate.acquire();
    const b = await gate.acquire();
    const c = gate.acquire().then((r) => (order.push('c'), r));
    const d = gate.acquire().then((r) => (order.push('d'), r));
    await Promise.resolve();
    expect(order).toEqual([]);
    a();
    a(); // releasing twice frees one slot only
    const rc = await c;
    expect(order).toEqual(['c']);
    b();
    const rd = await d;
    expect(order).toEqual(['c', 'd']);
    rc();
    rd();
  });

  it('allows 2 × SMTP_MAX_CONNECTIONS in flight', () => {
    expect(inFlightLimit({ kind: 'smtp', maxConnections: 5 })).toBe(10);
  });
});
