import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Deps } from '../../deps.js';
import type { Renderer } from '../../mail/render.js';
import { seedTemplates } from '../templates/seed-templates.js';
import { planEtaNotifications } from './plan-eta-notifications.js';
import { planRestockWaves } from './plan-restock-waves.js';
import { sendDueDeliveries, type SendSummary } from './send-due-deliveries.js';

export type SendRunSummary = SendSummary & { waves: number; waveQueued: number; etaQueued: number };

/**
 * The sender of one process: its worker id (the lease owner), its renderer (compile cache) and a
 * queue that runs one pass at a time, so the cron job, the admin route and "kicks" (a signup's
 * confirmation email) never run two send loops in one process and the in-flight limit holds.
 */
export type Sender = {
  readonly workerId: string;
  /** Plans due restock waves and ETA notifications (unless `plan: false`), then sends everything due. */
  run(deps: Deps, options?: { plan?: boolean; signal?: AbortSignal }): Promise<SendRunSummary>;
  /** Starts a send pass soon without waiting (coalesced); used right after enqueueing transactional mail. */
  kick(deps: Deps): void;
  /** Resolves when no pass is running or queued (tests and shutdown wait on it). */
  idle(): Promise<void>;
  /** Seeds templates from templates/ once per process (also done at start-up by main). */
  ensureTemplates(deps: Deps): Promise<void>;
};

export function createSender(renderer: Renderer): Sender {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let chain: Promise<unknown> = Promise.resolve();
  let kickQueued = false;
  let seeded: Promise<void> | undefined;

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
    let waves = { waves: 0, queued: 0 };
    let eta = { events: 0, queued: 0 };
    if (plan) {
      waves = await planRestockWaves(deps);
      eta = await planEtaNotifications(deps);
    }
    const sent = await sendDueDeliveries(deps, { workerId, renderer, signal });
    return { ...sent, waves: waves.waves, waveQueued: waves.queued, etaQueued: eta.queued };
  }

  function enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = chain.then(fn, fn);
    chain = p.catch(() => undefined);
    return p;
  }

  return {
    workerId,
    run: (deps, options = {}) => enqueue(() => pass(deps, options.plan ?? true, options.signal)),
    kick(deps) {
      if (kickQueued) return;
      kickQueued = true;
      enqueue(() => {
        kickQueued = false;
        return pass(deps, false);
      }).then(
        (s) => deps.log.debug({ job: 'send', trigger: 'kick', ...s }, 'send pass finished'),
        (err: unknown) => deps.log.error({ err, job: 'send', trigger: 'kick' }, 'send pass failed'),
      );
    },
    idle: async () => {
      let seen: Promise<unknown>;
      do {
        seen = chain;
        await seen;
      } while (seen !== chain);
    },
    ensureTemplates,
  };
}
