import type { Deps } from '../deps.js';
import { flagUnreachableLines } from '../domain/backorders/flag-unreachable-lines.js';
import { planEtaNotifications } from '../domain/waves/plan-eta-notifications.js';
import { planRestockWaves } from '../domain/waves/plan-restock-waves.js';
import { withSettings } from '../domain/settings/effective-settings.js';
import type { SendSummary } from '../sending/send-due-deliveries.js';
import type { Services } from './services.js';
import type { Job } from './scheduler.js';

export type SendRunSummary = SendSummary & {
  waves: number;
  waveQueued: number;
  etaQueued: number;
  unreachableLines: number;
};

/**
 * One send tick: plans due restock waves and ETA notifications (unless `plan: false`) and, at the
 * same time, sends every due delivery until none is left. Planning and sending overlap: a wave is
 * queued in pages, and the first page's emails leave while the rest of a large wave is still being
 * queued (the sender waits for `producing` before it calls a pass done). Afterwards, order lines
 * whose customer could not be emailed are flagged unreachable.
 */
export async function runSendPass(
  deps: Deps,
  services: Services,
  options: { plan?: boolean; signal?: AbortSignal } = {},
): Promise<SendRunSummary> {
  const planning =
    (options.plan ?? true)
      ? (async () => {
          // Wave size, interval and waitlist count as the console set them, read afresh each tick.
          const d = { ...(await withSettings(deps, { fresh: true })), outbox: services.outbox.deliveries };
          return { waves: await planRestockWaves(d), eta: await planEtaNotifications(d) };
        })()
      : Promise.resolve({ waves: { waves: 0, queued: 0 }, eta: { events: 0, queued: 0 } });
  const sent = await services.sender.run({ signal: options.signal, producing: planning });
  const { waves, eta } = await planning;
  // Order lines whose notice was skipped or hard-bounced: flagged for the shop (webhook sent next tick).
  const { flagged } = await flagUnreachableLines(deps, services.outbox.backorders);
  return { ...sent, waves: waves.waves, waveQueued: waves.queued, etaQueued: eta.queued, unreachableLines: flagged };
}

/**
 * `send` (SEND_CRON, default every 10 s). Planning runs here rather than only after the restock scan
 * because later waves are time-driven (WAVE_INTERVAL_MINUTES) and this is the most frequent tick; a
 * new restock event is therefore planned at most one send tick after the scan records it.
 */
export const sendJob: Job = (deps, services, signal) => runSendPass(deps, services, { signal });
