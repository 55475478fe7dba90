import type { Deps } from '../deps.js';
import { unsubscribeUrl } from '../domain/subscriptions/tokens.js';
import { loadPublishedTemplates, pickTemplate, type PublishedTemplates } from '../domain/templates/load-published-templates.js';
import { bulkHeaders, deliveryMessageId, mailDomain } from '../mail/headers.js';
import type { Renderer } from '../mail/render.js';
import { createSendGate, inFlightLimit, type SendGate } from '../runtime/send-gate.js';
import { claimDeliveries, type ClaimedDelivery } from './claim-deliveries.js';
import { backoffSeconds, classifyFailure } from './classify-failure.js';
import { deliveryKinds } from './kinds/index.js';
import { recordOutcomes, type Outcome } from './record-outcomes.js';
import { attemptWebhook } from './webhook-channel.js';

export type SendSummary = { claimed: number; sent: number; retried: number; failed: number; skipped: number; unknown: number; ms: number };

export type SendOptions = {
  workerId: string;
  renderer: Renderer;
  signal?: AbortSignal;
  /** Rows per claim; default 10 × the in-flight limit (and ≤ 30 s of work at SEND_RATE_PER_SECOND). */
  batchSize?: number;
  /** How long a claim holds a row before another worker may take it over. */
  leaseSeconds?: number;
  /** Only priority-0 (transactional) rows: the fast lane a signup's confirmation email takes. */
  transactionalOnly?: boolean;
  /** The process's in-flight/rate limit shared by all lanes; default: a gate for this run only. */
  gate?: SendGate;
  /** Work still being queued (a wave in pages): an empty claim waits for it instead of ending the run. */
  producing?: Promise<unknown>;
};

/**
 * Sends every due delivery: claim a batch, send it with at most 2 × SMTP_MAX_CONNECTIONS messages in
 * flight (and at most SEND_RATE_PER_SECOND when set), record the batch's outcomes in one statement,
 * repeat until nothing is due or `signal` aborts. Each message is rendered from the currently
 * published template version for its key and locale.
 * Outcomes: 2xx → sent; skipped when the recipient unsubscribed or is suppressed (bulk only);
 * 4xx/network → retry with backoff until RETRY_MAX_ATTEMPTS → failed; 5xx on RCPT → failed and the
 * address suppressed; unknown outcome → retried once.
 * Errors: a database error aborts the run (claimed rows are retried after their lease).
 */
export async function sendDueDeliveries(deps: Deps, options: SendOptions): Promise<SendSummary> {
  const started = performance.now();
  const { config } = deps;
  const summary: SendSummary = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0, unknown: 0, ms: 0 };
  const inFlight = inFlightLimit(config.mail);
  const rate = config.send.ratePerSecond;
  const batchSize = options.batchSize ?? Math.max(1, Math.min(inFlight * 10, rate > 0 ? Math.ceil(rate * 30) : Infinity));
  const leaseSeconds = options.leaseSeconds ?? 300;
  const domain = mailDomain(config.mailFrom, config.publicBaseUrl);
  const gate = options.gate ?? createSendGate(inFlight, rate);
  let templates: PublishedTemplates | undefined;
  let producerDone = !options.producing;
  const producing = options.producing?.then(
    () => (producerDone = true),
    () => (producerDone = true),
  );

  while (!options.signal?.aborted) {
    const rows = await claimDeliveries(deps, {
      workerId: options.workerId,
      limit: batchSize,
      leaseSeconds,
      transactionalOnly: options.transactionalOnly,
    });
    if (rows.length === 0) {
      if (producerDone) break;
      await Promise.race([producing, new Promise((r) => setTimeout(r, 20))]);
      continue;
    }
    summary.claimed += rows.length;
    templates ??= await loadPublishedTemplates(deps);
    const ctx = { deps, renderer: options.renderer, templates, domain, gate };
    const outcomes = await mapLimit(rows, inFlight, (row) => attempt(ctx, row));
    for (const o of outcomes) {
      if (o.status === 'sent') summary.sent += 1;
      else if (o.status === 'retry') summary.retried += 1;
      else if (o.status === 'failed') summary.failed += 1;
      else summary.skipped += 1;
      if (o.unknown) summary.unknown += 1;
    }
    await recordOutcomes(deps, options.workerId, outcomes);
  }
  summary.ms = Math.round(performance.now() - started);
  return summary;
}

type Ctx = { deps: Deps; renderer: Renderer; templates: PublishedTemplates; domain: string; gate: SendGate };

async function attempt(ctx: Ctx, row: ClaimedDelivery): Promise<Outcome> {
  const { deps } = ctx;
  const { config } = deps;
  if (row.skip) return { id: row.id, status: 'skipped', lastError: `skip rule of kind "${row.kind}" held at claim time` };
  // A row of an unknown kind fails loudly rather than sending wrongly.
  const kind = deliveryKinds.get(row.kind);
  const later = (lastError: string, extra: Partial<Outcome> = {}): Outcome =>
    row.attempts >= config.send.retryMaxAttempts
      ? { id: row.id, status: 'failed', lastError: `gave up after ${row.attempts} attempts: ${lastError}`, ...extra }
      : { id: row.id, status: 'retry', lastError, nextAttemptAt: retryAt(deps, row.attempts), ...extra };

  if (kind.channel === 'webhook') return attemptWebhook(config, row, later);

  const template = pickTemplate(ctx.templates, row.templateKey, row.locale);
  if (!template) return later(`no published template "${row.templateKey}"`);
  let message;
  try {
    const compiled = await ctx.renderer.compile({ subject: template.subject, mjml: template.mjml });
    const bulk = kind.lane === 'bulk';
    const unsubscribe = bulk && row.subscriptionId ? unsubscribeUrl(config.publicBaseUrl, config.appSecret, row.subscriptionId) : undefined;
    // Dates follow the language of the template actually picked (a de recipient on the en fallback reads English).
    const locale = template.locale === 'default' ? 'en' : template.locale;
    const vars = { ...row.variables, shopName: config.shopName, locale, unsubscribeUrl: unsubscribe };
    const rendered = ctx.renderer.render(compiled, vars);
    message = {
      to: row.recipient,
      ...rendered,
      messageId: deliveryMessageId(row.id, ctx.domain),
      headers: bulk ? bulkHeaders({ unsubscribeUrl: unsubscribe, templateKey: row.templateKey, shopName: config.shopName, domain: ctx.domain }) : undefined,
    };
  } catch (err) {
    return later(`render failed: ${(err as Error).message}`);
  }
  const release = await ctx.gate.acquire();
  try {
    const info = await deps.mailer.send(message).finally(release);
    return { id: row.id, status: 'sent', smtpResponse: info.response.slice(0, 1000), messageId: info.messageId };
  } catch (err) {
    const f = classifyFailure(err);
    const smtpResponse = f.response;
    switch (f.kind) {
      case 'hard-bounce':
        return { id: row.id, status: 'failed', lastError: f.message, smtpResponse, suppress: row.recipientNormalized };
      case 'failed':
        return { id: row.id, status: 'failed', lastError: f.message, smtpResponse };
      case 'unknown':
        // At most one retry after an unknown outcome: a second send may duplicate, a third would be careless.
        return row.unknownOutcomes >= 1
          ? { id: row.id, status: 'failed', lastError: `outcome unknown twice, not retried: ${f.message}`, unknown: true }
          : later(`outcome unknown (connection lost): ${f.message}`, { unknown: true });
      default:
        return later(f.message, { smtpResponse });
    }
  }
}

function retryAt(deps: Deps, attempt: number): string {
  return new Date(deps.clock.now().getTime() + backoffSeconds(attempt, deps.config.send.retryBaseSeconds) * 1000).toISOString();
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let i = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) {
      const idx = i++;
      out[idx] = await fn(items[idx] as T);
    }
  });
  await Promise.all(workers);
  return out;
}
