import { createHmac, randomUUID } from 'node:crypto';
import { orderEventData, type OrderEvent } from './notices.js';

/** SPEC body of an outbound webhook: `{"id","type","createdAt","data"}`. */
export type WebhookBody = { id: string; type: string; createdAt: string; data: Record<string, unknown> };

export function orderEventBody(event: OrderEvent): WebhookBody {
  return { id: randomUUID(), type: event.type, createdAt: event.at.toISOString(), data: orderEventData(event.line) };
}

/** `X-Restock-Signature` value: `sha256=` + hex HMAC-SHA256 of the exact bytes sent. */
export function signWebhookBody(secret: string, raw: string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

export type WebhookAttempt = { ok: true; status: number } | { ok: false; status?: number; error: string };

/**
 * POSTs one webhook body. Only a 2xx is delivery; any other status, a timeout or a network error is a
 * failed attempt the ledger retries with backoff. The body is serialized once and signed as sent, so
 * the receiver can verify the HMAC over the raw bytes. No redirects: a signed body must not be
 * replayed to wherever a 3xx points.
 */
export async function postWebhook(url: string, secret: string, body: WebhookBody, timeoutMs = 10_000): Promise<WebhookAttempt> {
  const raw = JSON.stringify(body);
  try {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { 'content-type': 'application/json', 'user-agent': 'restock-notifier', 'x-restock-signature': signWebhookBody(secret, raw), 'x-restock-event': body.type, 'x-restock-delivery': body.id },
      body: raw,
    });
    await res.body?.cancel().catch(() => {});
    return res.status >= 200 && res.status < 300 ? { ok: true, status: res.status } : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, error: (err as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (err as Error).message };
  }
}
