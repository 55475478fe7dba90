import { isNotNull, min } from 'drizzle-orm';
import { products } from '../db/schema/index.js';
import { publishWake, type WakeTopic } from '../db/wake.js';
import type { Deps } from '../deps.js';
import type { Services } from './services.js';
import { listenWakeups } from '../runtime/wakeups.js';
import { restockScanJob } from './restock-scan.js';
import { runSendPass } from './send.js';
import { singleFlight } from './single-flight.js';

export type WakeLoop = { stop(): Promise<void> };

/** When another instance holds the scan lock, look again this soon: its scan may have started before our event. */
const LOCKED_RETRY_MS = 250;
/** Floor of the settle timer: a SKU still due right after a scan (row locked by a writer) is not polled in a busy loop. */
const MIN_TIMER_MS = 100;
/** Ceiling of the settle timer: re-read the schedule at least this often (the cron tick stays the safety net). */
const MAX_TIMER_MS = 10 * 60_000;

/**
 * "Seconds, not minutes" for a worker (ROLE=worker|all): reacts to wake-ups (src/db/wake.ts) instead
 * of waiting for cron ticks, which stay as the safety net.
 * - `inventory` → the restock scan now; afterwards a timer for the earliest `products.scan_after` (the end
 *   of a running settle window), so a restock is confirmed when its window ends, to the timer's precision.
 * - a scan that recorded restock or ETA events → NOTIFY `deliveries` → every worker plans and sends.
 * - `transactional` (a ROLE=web process queued a confirmation) → this process's transactional lane.
 * On every (re)connection of the listener it catches up (scan, send), as notifications may have been lost.
 * Each step is single-flight and coalescing (single-flight.ts, the same guard as the scheduler's): a burst of wake-ups costs one run plus one follow-up.
 * Job summaries are logged like scheduled runs (`job finished`, `trigger: 'wake'`).
 */
export async function startWakeLoop(deps: Deps, services: Services): Promise<WakeLoop> {
  const controller = new AbortController();
  const { log } = deps;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const single = (name: string, fn: () => Promise<void>) =>
    singleFlight(() => fn().catch((err: unknown) => log.error({ err, job: name, trigger: 'wake' }, 'job failed')), {
      coalesce: true,
    });

  const arm = (delayMs: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(
      () => {
        timer = undefined;
        scan.trigger();
      },
      Math.min(MAX_TIMER_MS, Math.max(MIN_TIMER_MS, delayMs)),
    );
    timer.unref();
  };

  const scan = single('restock-scan', async () => {
    const summary = await restockScanJob(deps, services, controller.signal);
    if (summary.skipped) {
      arm(LOCKED_RETRY_MS);
      return;
    }
    log.info({ job: 'restock-scan', trigger: 'wake', ...summary }, 'job finished');
    if (Number(summary.restocks) > 0 || Number(summary.etaRevisions) > 0) await publishWake(deps.db, 'deliveries');
    const [next] = await deps.db
      .select({ at: min(products.scanAfter) })
      .from(products)
      .where(isNotNull(products.scanAfter));
    if (next?.at) arm(new Date(next.at).getTime() - deps.clock.now().getTime());
    else if (timer) clearTimeout(timer);
  });

  const send = single('send', async () => {
    const summary = await runSendPass(deps, services, { signal: controller.signal });
    log.info({ job: 'send', trigger: 'wake', ...summary }, 'job finished');
  });

  const onTopic = (topic: WakeTopic) => {
    if (topic === 'inventory') scan.trigger();
    else if (topic === 'deliveries') send.trigger();
    else void services.sender.kick();
  };
  const listener = await listenWakeups(
    { db: deps.db, kind: deps.config.database.kind, log, database: deps.config.database },
    onTopic,
    () => {
      log.info({ channel: 'wake' }, 'wake-ups: listening');
      scan.trigger();
      send.trigger();
    },
  );

  return {
    async stop() {
      stopped = true;
      scan.stop();
      send.stop();
      if (timer) clearTimeout(timer);
      controller.abort();
      await listener.close();
      await Promise.all([scan.idle(), send.idle()]);
    },
  };
}
