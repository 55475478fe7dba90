import { createHmac } from 'node:crypto';
import type { Config } from '../config.js';
import type { ClaimedDelivery } from '../ledger/claim-deliveries.js';
import type { DeliveryKind } from '../ledger/kinds/kind.js';
import type { Outcome } from '../ledger/record-outcomes.js';
import type { WebhookBody } from '../ledger/webhook-body.js';

/** SPEC body of an outbound webhook: `{"id","type","createdAt","data"}` (a webhook row's variables). */

/** `X-Restock-Signature` value: `sha256=` + hex HMAC-SHA256 of the exact bytes sent. */
function signWebhookBody(secret: string, raw: string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

type WebhookAttempt = { ok: true; status: number } | { ok: false; status?: number; error: string };

/**
 * POSTs one webhook body. Only a 2xx is delivery; any other status, a timeout or a network error is a
 * failed attempt. The body is serialized once and signed as sent, so the receiver can verify the HMAC
 * over the raw bytes. Redirects are not followed: a signed body must not be replayed wherever a 3xx
 * points. The timeout stays far inside the ledger's claim lease.
 */
async function postWebhook(
  url: string,
  secret: string,
  body: WebhookBody,
  timeoutMs = 10_000,
): Promise<WebhookAttempt> {
  const raw = JSON.stringify(body);
  try {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'restock-notifier',
        'x-restock-signature': signWebhookBody(secret, raw),
        'x-restock-event': body.type,
        'x-restock-delivery': body.id,
      },
      body: raw,
    });
    await res.body?.cancel().catch(() => {});
    return res.status >= 200 && res.status < 300
      ? { ok: true, status: res.status }
      : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    return {
      ok: false,
      error: (err as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (err as Error).message,
    };
  }
}

/**
 * One attempt of a `webhook`-channel row: 2xx → sent; anything else → `later` (retry with the ledger's
 * backoff until RETRY_MAX_ATTEMPTS), to the endpoint the kind names (`webhookTarget`). No endpoint
 * configured (it was removed after the row was queued)
 * → skipped, since nobody is listening.
 */
export async function attemptWebhook(
  config: Config,
  kind: DeliveryKind,
  row: ClaimedDelivery,
  later: (lastError: string, extra?: Partial<Outcome>) => Outcome,
): Promise<Outcome> {
  const target = kind.webhookTarget?.(config);
  if (!target) return { id: row.id, status: 'skipped', lastError: `no webhook endpoint configured for ${kind.key}` };
  const result = await postWebhook(target.url, target.secret, row.variables as WebhookBody);
  if (result.ok) return { id: row.id, status: 'sent', smtpResponse: `HTTP ${result.status}` };
  return later(result.error, result.status ? { smtpResponse: `HTTP ${result.status}` } : {});
}
