import type { Deps } from '../deps.js';
import { insertSignupBatch, type BatchedSignup, type NewSignup } from '../domain/subscriptions/insert-signup-batch.js';
import { createRenderer, type Renderer } from '../mail/render.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { createGroupCommit, type GroupCommit } from '../db/group-commit.js';
import { deliveryKinds } from '../ledger/kinds/index.js';
import { createSender, type Sender } from '../sending/sender.js';
import type { BreakerOptions } from '../sending/transport-breaker.js';
import type { Lifecycle } from './lifecycle.js';
import { createRenderPool, type RenderPool } from './render-pool.js';
import { createWakePublisher } from './wakeups.js';

/**
 * The process's state, created once in main.ts (and per test file) and passed where needed: the
 * renderer (its compile cache keeps MJML at one compile per template version), the sender (lanes and
 * the shared send gate), and the signup group commit. Domain code never sees it whole: it gets narrow
 * ports (`notify`, `batch`).
 */
export type Runtime = {
  readonly renderer: Renderer;
  /** The worker threads the renderer compiles MJML in (absent when a renderer was passed in). */
  readonly renderPool?: RenderPool;
  /** Set by main.ts on SIGTERM: responses say `Connection: close`, /readyz answers 503. */
  readonly lifecycle: Lifecycle;
  readonly sender: Sender;
  readonly signups: GroupCommit<NewSignup, BatchedSignup>;
  /** This process's Prometheus registry and instruments (GET /metrics). */
  readonly metrics: Metrics;
  /**
   * Wakes a transactional lane (never throws, never waits): this process's own, or — in a ROLE=web
   * process, which sends no mail — the workers' through a NOTIFY they LISTEN for (src/jobs/wake-loop.ts).
   */
  notify(): void;
  /** The ports `createSignup` takes. */
  readonly signupPorts: { notify(): void; batch(signup: NewSignup): Promise<BatchedSignup> };
  /** Resolves when no send pass is running or queued. */
  idle(): Promise<void>;
  /** Waits for the sender to finish what it runs (call before `closeDeps`). */
  stop(): Promise<void>;
};

/** Most signups one statement carries (they travel as one jsonb parameter): bounds its size and lock time. */
const MAX_SIGNUP_BATCH = 500;

export type CreateRuntimeOptions = {
  renderer?: Renderer;
  /** The transport circuit breaker's pause after a connection-level failure (default 1 s, doubling to 60 s). */
  breaker?: Pick<BreakerOptions, 'baseMs' | 'maxMs'>;
  /** This process's metrics (main.ts passes the one with process metrics); default: a fresh registry. */
  metrics?: Metrics;
};

export function createRuntime(deps: Deps, options: CreateRuntimeOptions = {}): Runtime {
  const renderPool = options.renderer ? undefined : createRenderPool(deps.config.render);
  const renderer =
    options.renderer ?? createRenderer({ compileMjml: renderPool?.compile, offload: renderPool?.offload, maxBytes: deps.config.render.maxBytes });
  const metrics = options.metrics ?? createMetrics();
  const webhookKinds = new Set(deliveryKinds.kinds.filter((k) => k.channel === 'webhook').map((k) => k.key));
  const sender = createSender(deps, renderer, options.breaker, {
    onOutcome: (kind, state) => {
      metrics.deliveries.inc({ kind, state });
      if (webhookKinds.has(kind)) metrics.webhookDeliveries.inc({ type: kind, outcome: state });
    },
  });
  const signups = createGroupCommit<NewSignup, BatchedSignup>({
    // A ROLE=web process sends no mail: the batch's own commit wakes the workers (one NOTIFY per batch).
    run: (batch) => insertSignupBatch(deps.db, batch, deps.config.role === 'web' ? { wake: 'transactional' } : {}),
    // The one-signup path then decides each signup alone, so an error belongs to its own signup only.
    onBatchError: (err, items) => {
      deps.log.warn({ err, size: items.length }, 'signup batch failed; retrying its signups one by one');
      return items.map(() => ({ kind: 'existing' }));
    },
    maxBatch: MAX_SIGNUP_BATCH,
    // One batch in flight would leave the pool idle while a commit waits on WAL flush; a few let the
    // next batch fill and run meanwhile. PGlite has one connection, so one is all it can use.
    maxInFlight: deps.config.database.kind === 'postgres' ? 3 : 1,
  });
  const notify = deps.config.role === 'web' ? createWakePublisher(deps.db, 'transactional', deps.log) : () => void sender.kick();
  return {
    renderer,
    ...(renderPool ? { renderPool } : {}),
    lifecycle: { draining: false },
    sender,
    signups,
    metrics,
    notify,
    signupPorts: { notify, batch: (signup) => signups.submit(signup) },
    idle: () => sender.idle(),
    stop: async () => {
      await sender.idle();
      await renderPool?.close();
    },
  };
}
