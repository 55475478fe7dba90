import type { Deps } from '../deps.js';
import { pickTemplate } from '../domain/templates/load-published-templates.js';
import type { SendResult } from '../mail/mailer.js';
import type { ClaimedDelivery } from '../ledger/claim-deliveries.js';
import { backoffSeconds, classifyFailure } from './classify-failure.js';
import { composeMessage, type SendContext } from './compose-message.js';
import { deliveryKinds } from '../ledger/kinds/index.js';
import type { Outcome } from '../ledger/record-outcomes.js';
import { attemptWebhook } from './webhook-channel.js';

export const noop = (): void => {};

/** The row goes back to the queue unsent: its claim's attempt is refunded, due again in `inMs`. */
export function sendBack(deps: Deps, row: ClaimedDelivery, inMs: number, lastError?: string): Outcome {
  const at = new Date(deps.clock.now().getTime() + inMs).toISOString();
  return { id: row.id, status: 'retry', nextAttemptAt: at, lastError, refund: true };
}

/** One row's attempt. `release` frees its in-flight slot: the caller calls it once the outcome is recorded. */
export async function attempt(
  ctx: SendContext,
  row: ClaimedDelivery,
): Promise<{ outcome: Outcome; release: () => void }> {
  const { deps } = ctx;
  const { config } = deps;
  const done = (outcome: Outcome) => ({ outcome, release: noop });
  if (row.skip)
    return done({ id: row.id, status: 'skipped', lastError: `skip rule of kind "${row.kind}" held at claim time` });
  const ageHours = (deps.clock.now().getTime() - row.createdAt.getTime()) / 3_600_000;
  if (ageHours > config.send.maxAgeHours) {
    return done({
      id: row.id,
      status: 'failed',
      lastError: `expired: still unsent ${Math.floor(ageHours)} h after it was queued (DELIVERY_MAX_AGE_HOURS=${config.send.maxAgeHours})`,
    });
  }
  // A row of an unknown kind fails loudly rather than sending wrongly.
  const kind = deliveryKinds.get(row.kind);
  // Recipient-level temporary failures keep a count limit (a mailbox that defers us eight times over
  // hours is not going to take it); transport failures never get here (they are refunded).
  const later = (lastError: string, extra: Partial<Outcome> = {}): Outcome =>
    row.attempts >= config.send.retryMaxAttempts
      ? { id: row.id, status: 'failed', lastError: `gave up after ${row.attempts} attempts: ${lastError}`, ...extra }
      : { id: row.id, status: 'retry', lastError, nextAttemptAt: retryAt(deps, row.attempts), ...extra };

  if (kind.channel === 'webhook') return done(await attemptWebhook(config, kind, row, later));

  const template = pickTemplate(ctx.templates, row.templateKey, row.locale);
  if (!template) return done(later(`no published template "${row.templateKey}"`));
  let send: () => Promise<SendResult>;
  try {
    send = await composeMessage(ctx, row, kind, template);
  } catch (err) {
    return done(later(`render failed: ${(err as Error).message}`));
  }
  const release = await ctx.gate.acquire();
  const paused = () =>
    sendBack(deps, row, Math.max(1000, ctx.breaker.retryInMs()), `transport paused: ${ctx.breaker.reason}`);
  if (!(await ctx.breaker.permit())) return { outcome: paused(), release };
  try {
    const info = await send();
    ctx.breaker.success();
    return {
      outcome: { id: row.id, status: 'sent', smtpResponse: info.response.slice(0, 1000), messageId: info.messageId },
      release,
    };
  } catch (err) {
    const f = classifyFailure(err);
    const smtpResponse = f.response;
    if (f.kind === 'transport') {
      ctx.breaker.failure(f.message);
      return { outcome: paused(), release };
    }
    // The server answered (or dropped mid-session): the transport itself is up.
    if (f.kind !== 'unknown') ctx.breaker.success();
    switch (f.kind) {
      case 'hard-bounce':
        return {
          outcome: {
            id: row.id,
            status: 'failed',
            lastError: f.message,
            smtpResponse,
            suppress: row.recipientNormalized,
          },
          release,
        };
      case 'failed':
        return { outcome: { id: row.id, status: 'failed', lastError: f.message, smtpResponse }, release };
      case 'unknown':
        // At most one retry after an unknown outcome: a second send may duplicate, a third would be careless.
        return {
          outcome:
            row.unknownOutcomes >= 1
              ? {
                  id: row.id,
                  status: 'failed',
                  lastError: `outcome unknown twice, not retried: ${f.message}`,
                  unknown: true,
                }
              : later(`outcome unknown (connection lost): ${f.message}`, { unknown: true }),
          release,
        };
      default:
        return { outcome: later(f.message, { smtpResponse }), release };
    }
  }
}

function retryAt(deps: Deps, attempt: number): string {
  return new Date(
    deps.clock.now().getTime() + backoffSeconds(attempt, deps.config.send.retryBaseSeconds) * 1000,
  ).toISOString();
}
