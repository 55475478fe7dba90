import type { Deps } from '../deps.js';
import { brandingVariables } from '../domain/branding/branding-input.js';
import { getBranding } from '../domain/branding/get-branding.js';
import { shopVariableDefaults } from '../domain/variables/shop-variables.js';
import { loadPublishedTemplates, type PublishedTemplates } from '../domain/templates/load-published-templates.js';
import { mailDomain } from '../mail/headers.js';
import type { Renderer } from '../mail/render.js';
import { createSendGate, inFlightLimit, type SendGate } from './send-gate.js';
import { createTransportBreaker, type TransportBreaker } from './transport-breaker.js';
import { claimDeliveries, type ClaimedDelivery } from '../ledger/claim-deliveries.js';
import { attempt, noop, sendBack } from './attempt-delivery.js';
import { createSendContext, type FrameCache, type SendContext } from './compose-message.js';
import { renewLeases } from '../ledger/leases.js';
import { createOutcomeWriter } from './outcome-writer.js';
import type { Outcome } from '../ledger/record-outcomes.js';

export type SendSummary = {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
  unknown: number;
  /** Rows sent back unsent with their attempt refunded (transport paused, or the pass was stopped). */
  deferred: number;
  /** The pass ended because the transport's circuit breaker is open. */
  paused: boolean;
  /** Messages composed once and spliced per recipient (bulk-frames.ts); the rest were composed per message. */
  spliced: number;
  ms: number;
};

export type SendOptions = {
  workerId: string;
  renderer: Renderer;
  signal?: AbortSignal;
  /** Rows per claim; default 10 × the in-flight limit (and ≤ 30 s of work at SEND_RATE_PER_SECOND). */
  batchSize?: number;
  /** How long a claim holds a row before another worker may take it over; default DELIVERY_LEASE_SECONDS. */
  leaseSeconds?: number;
  /** Only priority-0 (transactional) rows: the fast lane a signup's confirmation email takes. */
  transactionalOnly?: boolean;
  /** The process's in-flight/rate limit shared by all lanes; default: a gate for this run only. */
  gate?: SendGate;
  /** The process's transport circuit breaker shared by all lanes; default: one for this run only. */
  breaker?: TransportBreaker;
  /** Work still being queued (a wave in pages): an empty claim waits for it instead of ending the run. */
  producing?: Promise<unknown>;
  /**
   * false: every message is rendered and composed by nodemailer on its own, never spliced from a
   * composed frame (the reference the equality tests compare the spliced messages with). Default true.
   */
  composeOnce?: boolean;
  /** Frames kept across this lane's passes (compose-message.ts); default: built for this pass only. */
  frameCache?: FrameCache;
  /** Told each outcome once it is recorded on the ledger (the metrics count deliveries by kind and state). */
  onOutcome?: (kind: string, state: Outcome['status'] | 'returned') => void;
};

/**
 * Sends every due delivery: claims batches (leased for DELIVERY_LEASE_SECONDS and renewed every
 * third of it until each row's outcome is recorded) into a queue that 2 × SMTP_MAX_CONNECTIONS
 * workers drain — the next claim starts while half a batch is still queued, so the connections do
 * not idle between batches — at most SEND_RATE_PER_SECOND when set. Each worker sends one message,
 * records its outcome (small asynchronous group commits, outcome-writer.ts) and only then takes the
 * next row, so the crash bound is unchanged: at any moment at most 2 × SMTP_MAX_CONNECTIONS messages
 * are being sent or sent-but-unrecorded, and a `kill -9` re-sends at most those; claimed rows not yet
 * started were never sent and are due again within one lease. Bulk kinds and confirmations are composed
 * once per frame and spliced per recipient (compose-message.ts); each message uses the currently published
 * template version for its key and locale.
 * Outcomes: 2xx → sent; skipped when the kind's skip rule holds; recipient-level 4xx → retry with
 * backoff until RETRY_MAX_ATTEMPTS → failed; 5xx on RCPT → failed and the address suppressed;
 * unknown outcome → retried once; transport down (refused, DNS, TLS, no greeting) → the breaker
 * opens and the row goes back unsent, attempt refunded. Any row older than DELIVERY_MAX_AGE_HOURS
 * fails instead of being sent. On abort, claimed rows not yet started go back unsent.
 * Errors: a database error that outlasts the outcome writer's retries aborts the run (claimed rows
 * are retried after their lease).
 */
export async function sendDueDeliveries(deps: Deps, options: SendOptions): Promise<SendSummary> {
  const started = performance.now();
  const { config, log } = deps;
  const summary: SendSummary = {
    claimed: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    skipped: 0,
    unknown: 0,
    deferred: 0,
    paused: false,
    spliced: 0,
    ms: 0,
  };
  const inFlight = inFlightLimit(config.mail);
  const rate = config.send.ratePerSecond;
  const batchSize =
    options.batchSize ?? Math.max(1, Math.min(inFlight * 10, rate > 0 ? Math.ceil(rate * 30) : Infinity));
  const leaseSeconds = options.leaseSeconds ?? config.send.leaseSeconds;
  const domain = mailDomain(config.mailFrom, config.publicBaseUrl);
  const gate = options.gate ?? createSendGate(inFlight, rate);
  const breaker = options.breaker ?? createTransportBreaker({ clock: deps.clock });
  // Retrying an outcome write longer than half a lease would let another worker re-send the rows.
  const writer = createOutcomeWriter(deps, {
    workerId: options.workerId,
    retryBudgetMs: Math.max(1000, leaseSeconds * 500),
    // One write at a time: outcomes that arrive meanwhile join the next (≈ 5 per statement at full
    // speed instead of ≈ 3 with two in flight); fewer round trips cost the worker and PostgreSQL less
    // CPU than the slots gain from a second write (measured: a third less worker CPU per message).
    maxInFlight: 1,
  });
  let templates: PublishedTemplates | undefined;
  let branding: Record<string, string> | undefined;
  // Templates, branding and what is derived from them (compiles, frames) are fixed for the pass.
  let ctx: SendContext | undefined;
  // Frames kept across passes count on: this pass's share is the difference.
  let splicedBefore = 0;
  let producerDone = !options.producing;
  const producing = options.producing?.then(
    () => (producerDone = true),
    () => (producerDone = true),
  );
  const tally = (o: Outcome) => {
    if (o.refund) summary.deferred += 1;
    else if (o.status === 'sent') summary.sent += 1;
    else if (o.status === 'retry') summary.retried += 1;
    else if (o.status === 'failed') summary.failed += 1;
    else summary.skipped += 1;
    if (o.unknown) summary.unknown += 1;
  };

  // Claimed rows wait in `queue`; `inFlight` workers take them one at a time. The next claim starts
  // while the queue still holds half a batch, so the connections never idle between batches.
  const queue: ClaimedDelivery[] = [];
  // Claimed and not yet recorded: their leases are renewed every third of a lease.
  const held = new Set<number>();
  let active = 0;
  let finished = false;
  let failure: { err: unknown } | undefined;
  let claiming: Promise<void> | undefined;
  const renew = setInterval(
    () => {
      if (held.size === 0) return;
      renewLeases(deps, options.workerId, [...held], leaseSeconds).catch((err: unknown) =>
        log.warn(
          { cause: { message: (err as Error).message }, rows: held.size },
          'lease renewal failed; the rows may be re-sent after their lease',
        ),
      );
    },
    (leaseSeconds * 1000) / 3,
  );

  /** Claims the next batch into `queue`, or sets `finished` when nothing more is due (or the pass must stop). */
  async function claim(): Promise<void> {
    for (;;) {
      if (options.signal?.aborted || failure) return void (finished = true);
      if (breaker.paused()) {
        summary.paused = true;
        return void (finished = true);
      }
      // Half-open: the probe goes alone; nothing more is claimed until its outcome is in.
      if (breaker.probing() && (active > 0 || queue.length > 0)) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      // Decided before the statement starts: rows the producer (or an outcome write) commits while the
      // claim runs are outside its snapshot, so an empty claim ends the pass only if nothing could still
      // arrive when it began (a wave planned during the claim was once dropped from the pass this way).
      const quiet = producerDone && active === 0 && queue.length === 0;
      const rows = await claimDeliveries(deps, {
        workerId: options.workerId,
        // Half-open: one row is the probe; the rest stay queued rather than claimed and sent back.
        limit: breaker.probing() ? 1 : batchSize,
        leaseSeconds,
        transactionalOnly: options.transactionalOnly,
      });
      if (rows.length > 0) {
        summary.claimed += rows.length;
        templates ??= await loadPublishedTemplates(deps);
        // Read once per run, like the templates: the console's branding (shop name, logo, colours, texts).
        // Shop variables' defaults (console → Settings) first: a branding name always wins.
        branding ??= { ...(await shopVariableDefaults(deps)), ...brandingVariables(await getBranding(deps)) };
        if (!ctx) {
          ctx = createSendContext(deps, options, templates, branding, { domain, gate, breaker });
          splicedBefore = ctx.frames.stats.spliced;
        }
        for (const r of rows) held.add(r.id);
        queue.push(...rows);
        return;
      }
      // Nothing due: done once the producer was done and nothing was in flight when the claim began (a
      // send that fails now may make a row due again: it is claimed by this pass, as after a batch before).
      if (quiet) return void (finished = true);
      if (queue.length > 0) return;
      const pause = new Promise((r) => setTimeout(r, 20));
      await (producerDone ? pause : Promise.race([producing, pause]));
    }
  }
  const refill = (): Promise<void> =>
    (claiming ??= claim()
      .catch((err: unknown) => {
        failure ??= { err };
        finished = true;
      })
      .finally(() => (claiming = undefined)));

  async function work(): Promise<void> {
    while (!failure) {
      if (!finished && queue.length < low) void refill();
      const row = queue.shift();
      if (!row) {
        if (finished) return;
        await refill();
        continue;
      }
      active += 1;
      try {
        // Stopping: rows not yet started go back now (attempt refunded) instead of waiting out the lease.
        const { outcome, release } =
          options.signal?.aborted || !ctx
            ? { outcome: sendBack(deps, row, 0, 'released unsent at shutdown'), release: noop }
            : await attempt(ctx, row);
        try {
          await writer.write(outcome);
          held.delete(row.id);
          // A row sent back unsent (breaker open, shutdown) was no attempt: counted apart as `returned`.
          options.onOutcome?.(row.kind, outcome.refund ? 'returned' : outcome.status);
        } finally {
          release();
        }
        tally(outcome);
      } catch (err) {
        // No further row is started; claimed rows not yet sent return after their lease.
        failure ??= { err };
      } finally {
        active -= 1;
      }
    }
  }
  const low = Math.max(inFlight, Math.floor(batchSize / 2));
  try {
    // allSettled: no send may still be running when an error reaches the caller.
    await Promise.allSettled(Array.from({ length: inFlight }, work));
    await claiming;
  } finally {
    clearInterval(renew);
  }
  if (failure) throw failure.err;
  summary.spliced = (ctx?.frames.stats.spliced ?? 0) - splicedBefore;
  summary.ms = Math.round(performance.now() - started);
  return summary;
}
