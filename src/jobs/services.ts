import type { GroupCommit } from '../db/group-commit.js';
import type { BackorderOutbox } from '../domain/backorders/notices.js';
import type { SignupPorts } from '../domain/subscriptions/create-signup.js';
import type { BatchedSignup, NewSignup } from '../domain/subscriptions/insert-signup-batch.js';
import type { Outbox } from '../ledger/outbox.js';
import type { Renderer } from '../mail/render.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Lifecycle } from '../runtime/lifecycle.js';
import type { RenderPool } from '../runtime/render-pool.js';
import type { Sender } from '../sending/sender.js';

/**
 * The process's ports, built once by the composition root (`createServices` in src/services.ts, used
 * by main.ts and by every test file) and handed down: jobs receive them whole, the HTTP app takes what
 * its routes need. Domain verbs never see them whole, only the narrow port they take (`signupPorts`,
 * an outbox).
 */
export type Services = {
  /** MJML compile cache: one compile per template version. */
  readonly renderer: Renderer;
  /** The worker threads the renderer compiles MJML in (absent when a renderer was passed in). */
  readonly renderPool?: RenderPool;
  /** Set by main.ts on SIGTERM: responses say `Connection: close`, /readyz answers 503. */
  readonly lifecycle: Lifecycle;
  /** This process's Prometheus registry and instruments (GET /metrics). */
  readonly metrics: Metrics;
  /** Lanes and the shared send gate. */
  readonly sender: Sender;
  /** The signup group commit over `insertSignupBatch`. */
  readonly signups: GroupCommit<NewSignup, BatchedSignup>;
  /**
   * Wakes a transactional lane (never throws, never waits): this process's own, or — in a ROLE=web
   * process, which sends no mail — the workers' through a NOTIFY they LISTEN for (src/jobs/wake-loop.ts).
   */
  notify(): void;
  /** The ports `createSignup` takes. */
  readonly signupPorts: Required<SignupPorts>;
  /** Where domain features queue their messages (the delivery ledger, inside the caller's transaction). */
  readonly outbox: { readonly deliveries: Outbox; readonly backorders: BackorderOutbox };
  /** Resolves when no send pass is running or queued. */
  idle(): Promise<void>;
  /** Waits for the sender to finish what it runs (call before `closeDeps`). */
  stop(): Promise<void>;
};
