import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Deps } from '../deps.js';
import type { FrameCache } from './compose-message.js';
import { sendDueDeliveries, type SendOptions, type SendSummary } from './send-due-deliveries.js';
import type { Renderer } from '../mail/render.js';
import { createSendGate, inFlightLimit } from './send-gate.js';
import { createTransportBreaker, type BreakerOptions, type TransportBreaker } from './transport-breaker.js';

/**
 * The sender of one process: its worker id (the lease owner), the shared send gate, and two lanes.
 * The main lane runs one full pass at a time (cron job, admin route), so the in-flight limit holds.
 * The transactional lane (`kick`) sends only priority-0 mail (confirmations) and runs beside the main
 * lane, so a signup's email never waits behind a 100k restock wave. It only sends: planning waves
 * is the send job's own step (src/jobs/send.ts), seeding templates is main's.
 */
export type Sender = {
  readonly workerId: string;
  /** The transport's circuit breaker, shared by both lanes. */
  readonly breaker: TransportBreaker;
  /**
   * Sends everything due, one pass at a time. `producing`: work still being queued (a wave in
   * pages): an empty claim waits for it instead of ending the pass.
   */
  run(options?: { signal?: AbortSignal; producing?: Promise<unknown> }): Promise<SendSummary>;
  /**
   * Sends due transactional mail now. Calls that arrive while a pass runs share the next pass, so the
   * returned promise settles after a pass that started after the call (it never rejects: errors are
   * logged and the rows stay on the ledger for the next pass).
   */
  kick(): Promise<void>;
  /** Resolves when no pass of either lane is running or queued (tests and shutdown wait on it). */
  idle(): Promise<void>;
};

export function createSender(
  deps: Deps,
  renderer: Renderer,
  breakerOptions: Omit<BreakerOptions, 'onChange' | 'clock'> = {},
  hooks: Pick<SendOptions, 'onOutcome'> = {},
): Sender {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const gate = createSendGate(inFlightLimit(deps.config.mail), deps.config.send.ratePerSecond);
  const breaker = createTransportBreaker({
    ...breakerOptions,
    clock: deps.clock,
    onChange(state, info) {
      if (state === 'open')
        deps.log.warn(
          { reason: info.reason, retryInMs: info.retryInMs },
          'mail transport unreachable: sending paused, rows go back to the queue unsent',
        );
      else if (state === 'closed') deps.log.info('mail transport reachable again: sending resumed');
    },
  });
  // One frame cache per lane: each lane runs one pass at a time (compose-message.ts, FrameCache).
  const frameCache = { main: {}, transactional: {} } satisfies Record<string, FrameCache>;
  let chain: Promise<unknown> = Promise.resolve();
  let kickRunning: Promise<void> | undefined;
  let kickQueued: Promise<void> | undefined;

  function startKick(): Promise<void> {
    const p: Promise<void> = sendDueDeliveries(deps, {
      workerId,
      renderer,
      transactionalOnly: true,
      gate,
      breaker,
      frameCache: frameCache.transactional,
      ...hooks,
    })
      .then(
        (s) => deps.log.debug({ job: 'send', lane: 'transactional', ...s }, 'send pass finished'),
        (err: unknown) => deps.log.error({ err, job: 'send', lane: 'transactional' }, 'send pass failed'),
      )
      .finally(() => {
        if (kickRunning === p) kickRunning = undefined;
      });
    kickRunning = p;
    return p;
  }

  return {
    workerId,
    breaker,
    run(options = {}) {
      const p = chain.then(() =>
        sendDueDeliveries(deps, {
          workerId,
          renderer,
          gate,
          breaker,
          frameCache: frameCache.main,
          signal: options.signal,
          producing: options.producing,
          ...hooks,
        }),
      );
      chain = p.catch(() => undefined);
      return p;
    },
    kick() {
      if (!kickRunning) return startKick();
      kickQueued ??= kickRunning.then(() => {
        kickQueued = undefined;
        return startKick();
      });
      return kickQueued;
    },
    async idle() {
      for (;;) {
        const pending = [chain, kickRunning, kickQueued];
        await Promise.all(pending);
        if (pending[0] === chain && !kickRunning && !kickQueued) return;
      }
    },
  };
}
