import type { Deps } from './deps.js';
import { createGroupCommit } from './db/group-commit.js';
import { createLedgerOutbox } from './domain/backorders/ledger-outbox.js';
import { insertSignupBatch, type BatchedSignup, type NewSignup } from './domain/subscriptions/insert-signup-batch.js';
import type { Services } from './jobs/services.js';
import { deliveryKinds } from './ledger/kinds/index.js';
import { createOutbox } from './ledger/outbox.js';
import { createRenderer, type Renderer } from './mail/render.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { createRenderPool } from './runtime/render-pool.js';
import { createWakePublisher } from './runtime/wakeups.js';
import { createSender } from './sending/sender.js';
import type { BreakerOptions } from './sending/transport-breaker.js';

export type { Services } from './jobs/services.js';

/** Most signups one statement carries (they travel as one jsonb parameter): bounds its size and lock time. */
const MAX_SIGNUP_BATCH = 500;

export type CreateServicesOptions = {
  renderer?: Renderer;
  /** The transport circuit breaker's pause after a connection-level failure (default 1 s, doubling to 60 s). */
  breaker?: Pick<BreakerOptions, 'baseMs' | 'maxMs'>;
  /** This process's metrics (main.ts passes the one with process metrics); default: a fresh registry. */
  metrics?: Metrics;
};

/**
 * The composition root's wiring, in one function: main.ts calls it once per process, test files and
 * benchmarks once per `Deps`, so tests exercise the same wiring. Builds the renderer, lifecycle,
 * metrics, sender (lanes, send gate, transport breaker), signup group commit, wake-up publisher and
 * the outboxes; nothing else in src/ builds a port.
 */
export function createServices(deps: Deps, options: CreateServicesOptions = {}): Services {
  // MJML compiles in worker threads (src/runtime/render-pool.ts), never on the event loop; a renderer
  // passed in (tests, benchmarks) brings its own.
  const renderPool = options.renderer ? undefined : createRenderPool(deps.config.render);
  const renderer =
    options.renderer ??
    createRenderer({
      compileMjml: renderPool?.compile,
      offload: renderPool?.offload,
      maxBytes: deps.config.render.maxBytes,
    });
  const metrics = options.metrics ?? createMetrics();
  const webhookKinds = new Set(deliveryKinds.kinds.filter((k) => k.channel === 'webhook').map((k) => k.key));
  const sender = createSender(deps, renderer, options.breaker, {
    onOutcome: (kind, state) => {
      metrics.deliveries.inc({ kind, state });
      if (webhookKinds.has(kind)) metrics.webhookDeliveries.inc({ type: kind, outcome: state });
    },
  });
  const web = deps.config.role === 'web';
  const outbox = createOutbox(deps);
  const signups = createGroupCommit<NewSignup, BatchedSignup>({
    // A ROLE=web process sends no mail: the batch's own commit wakes the workers (one NOTIFY per batch).
    run: (batch) => insertSignupBatch({ db: deps.db, outbox }, { batch, wake: web ? 'transactional' : undefined }),
    // The one-signup path then decides each signup alone, so an error belongs to its own signup only.
    onBatchError: (err, items) => {
      deps.log.warn({ err, size: items.length }, 'signup batch failed; retrying its signups one by one');
      return items.map(() => ({ kind: 'existing', counted: false }));
    },
    maxBatch: MAX_SIGNUP_BATCH,
    // One batch in flight would leave the pool idle while a commit waits on WAL flush; a few let the
    // next batch fill and run meanwhile. PGlite has one connection, so one is all it can use.
    maxInFlight: deps.config.database.kind === 'postgres' ? 3 : 1,
  });
  const notify = web ? createWakePublisher(deps.db, 'transactional', deps.log) : () => void sender.kick();
  return {
    renderer,
    ...(renderPool ? { renderPool } : {}),
    lifecycle: { draining: false },
    metrics,
    sender,
    signups,
    notify,
    signupPorts: { notify, batch: (signup) => signups.submit(signup) },
    outbox: { deliveries: outbox, backorders: createLedgerOutbox({ outbox, config: deps.config }) },
    idle: () => sender.idle(),
    stop: async () => {
      await sender.idle();
      await renderPool?.close();
    },
  };
}
