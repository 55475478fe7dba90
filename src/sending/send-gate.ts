/**
 * The per-process limit on outgoing mail: at most `maxInFlight` messages handed to the mailer at once
 * and, when `perSecond` > 0, at most that many started per second. Both sender lanes (bulk and
 * transactional) share one gate, so the limits hold for the process, not per lane. Waiters are served
 * in arrival order. Real time: this shapes throughput; it is not business time (that is deps.clock).
 */
export type SendGate = { acquire(): Promise<() => void> };

export function createSendGate(maxInFlight: number, perSecond: number): SendGate {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const gap = perSecond > 0 ? 1000 / perSecond : 0;
  let nextSlot = 0;

  const release = () => {
    inFlight -= 1;
    const next = waiting.shift();
    if (next) {
      inFlight += 1;
      next();
    }
  };

  return {
    async acquire() {
      if (inFlight < maxInFlight) inFlight += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      if (gap > 0) {
        const now = performance.now();
        const slot = Math.max(now, nextSlot);
        nextSlot = slot + gap;
        if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
      }
      let released = false;
      return () => {
        if (!released) {
          released = true;
          release();
        }
      };
    },
  };
}

/** 2 × SMTP_MAX_CONNECTIONS: enough to keep every pooled connection busy while the next message waits. */
export function inFlightLimit(mail: { kind: 'smtp'; maxConnections: number } | { kind: 'capture' }): number {
  return 2 * (mail.kind === 'smtp' ? mail.maxConnections : 5);
}
