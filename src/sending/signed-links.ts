import type { Config } from '../config.js';
import { orderPageUrl } from '../domain/backorders/order-tokens.js';
import type { ClaimedDelivery } from '../ledger/claim-deliveries.js';
import type { DeliveryKind } from '../ledger/kinds/index.js';

/**
 * The links a kind declares as `signedLinks`, signed now from the row's `ref_id` (kind.ts): an order
 * page link can cancel the order, so it is never stored in `deliveries.variables`. Always recomputed,
 * also for rows queued by an older build that still carry a stored `orderUrl` (the token is
 * deterministic per line, so the link is the same; after an APP_SECRET rotation only the new one works).
 * A row without `ref_id` keeps whatever it stored.
 */
export function signedLinks(
  config: Pick<Config, 'publicBaseUrl'> & { appSecret: string },
  row: Pick<ClaimedDelivery, 'refId'>,
  kind: Pick<DeliveryKind, 'signedLinks'>,
): Record<string, string> {
  if (kind.signedLinks !== 'order' || row.refId === null) return {};
  const orderUrl = orderPageUrl(config.publicBaseUrl, config.appSecret, row.refId);
  return { orderUrl, keepUrl: `${orderUrl}?choice=wait`, cancelUrl: `${orderUrl}?choice=cancel` };
}
