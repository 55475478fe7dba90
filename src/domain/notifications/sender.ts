import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Deps } from '../../deps.js';
import type { Renderer } from '../../mail/render.js';
import { seedTemplates } from '../templates/seed-templates.js';
import { planEtaNotifications } from './plan-eta-notifications.js';
import { planRestockWaves } from './plan-restock-waves.js';
import { sendDueDeliveries, type SendSummary } from './send-due-deliveries.js';
import { createSendGate, inFlightLimit, type SendGate } from './send-gate.js';

export type SendRunSummary = SendSummary & { waves: number; waveQueued: number; etaQueued: number };

/**
 * The sender of one process: its worker id (the lease owner), its renderer (compile cache), and two
 * lanes. The main lane runs one full pass at a time (cron job, admin route), so the in-flight limit
 * holds. The transactional lane (`kick`) sends only priority-0 mail (confirmations) and runs beside
 * the main lane, so a signup's email never waits behind a 100k restock wave.
 */
export type Sender = {
  readonly workerId: string;
  /** Plans due restock waves and ETA notifications (unless `plan: false`), then sends everything due. */
  run(deps: Deps, options?: { plan?: boolean; signal?: AbortSignal }): Promise<SendRunSummary>;
  /**
   * Sends due transactional mail now. Calls that arrive while a pass runs share the next pass, so the
   * returned promise settles after a pass that started after the call (it never rejects: errors are
   * logged and the rows stay on the ledger for the next pass).
   */
  kick(deps: Deps): Promise<void>;
  /** Resolves when no pass of either lane is running or queued (tests and shutdown wait on it). */
  idle(): Promise<void>;
  /** Seeds templates from templates/ once per process (also done at start-up by main). */
  ensureTemplates(deps: Deps): Promise<void>;
};

export function createSender(renderer: Renderer): Sender {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let chain: Promise<unknown> = Promise.resolve();
  let seeded: Promise<void> | undefined;
  let kickRunning: Promise<void> | undefined;
  let kickQueued: Promise<void> | undefined;
  let gateOf: SendGate | undefined;
  const gate = (deps: Deps) => (gateOf ??= createSendGate(inFlightLimit(deps.config.mail), deps.config.send.ratePerSecond));

  const ensureTemplates = (deps: Deps) => {
    seeded ??= seedTemplates(deps, renderer).then(
      () => undefined,
      (err: unknown) => {
        seeded = undefined;
        throw err;
      },
    );
    return seeded;
  };

  async function pass(deps: Deps, plan: boolean, signal?: AbortSignal): Promise<SendRunSummary> {
    await ensureTemplates(deps);
    // Planning and sending overlap: a wave is queued in pages, and the first page's emails leave
    // while the rest of a large wave is still being queued.
    const planning = plan
      ? (async () => ({ waves: await planRestockWaves(deps), eta: await planEtaNotifications(deps) }))()
      : Promise.resolve({ waves: { waves: 0, queued: 0 }, eta: { events: 0, queued: 0 } });
    const sent = await sendDueDeliveries(deps, { workerId, renderer, signal, producing: planning, gate: gate(deps) });
    const { waves, eta } = await planning;
    return { ...sent, waves: waves.waves, waveQueued: waves.queued, etaQueued: eta.queued };
  }

  function startKick(deps: Deps): Promise<void> {
    const p: Promise<void> = ensureTemplates(deps)
      .then(() => sendDueDeliveries(deps, { workerId, renderer, transactionalOnly: true, gate: gate(deps) }))
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
    run(deps, options = {}) {
      const p = chain.then(() => pass(deps, options.plan ?? true, options.signal));
      chain = p.catch(() => undefined);
      return p;
    },
    kick(deps) {
      if (!kickRunning) return startKick(deps);
      kickQueued ??= kickRunning.then(() => {
        kickQueued = undefined;
        return startKick(deps);
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
    ensureTemplates,
  };
}
