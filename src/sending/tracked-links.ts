import type { Config } from '../config.js';
import { trackedLinkUrl } from '../domain/clicks/link-token.js';

/** The bulk kinds whose product link is tracked: the notifications orders are attributed to. */
const TRACKED_KINDS = new Set(['back-in-stock', 'eta-revised']);

/**
 * CLICK_TRACKING: the product link of a back-in-stock / eta-revised email becomes this delivery's
 * /r/{token} link (signed for the delivery and the UTM-tagged product URL). Only `productUrl` is ever
 * wrapped — the unsubscribe link and order-page links stay direct (a one-click unsubscribe must not
 * depend on our redirect, and those are not marketing links). Off, or without an http(s) product URL,
 * the variables are returned as they are. @returns the variables and the names that now differ per
 * recipient (the frame path splices them).
 */
export function trackProductLink(
  config: Pick<Config, 'results' | 'publicBaseUrl'> & { appSecret: string },
  row: { id: number; kind: string },
  vars: Record<string, unknown>,
): { vars: Record<string, unknown>; perRecipient: string[] } {
  const url = vars.productUrl;
  if (
    !config.results.clickTracking ||
    !TRACKED_KINDS.has(row.kind) ||
    typeof url !== 'string' ||
    !/^https?:\/\//i.test(url)
  ) {
    return { vars, perRecipient: [] };
  }
  return {
    vars: { ...vars, productUrl: trackedLinkUrl(config.publicBaseUrl, config.appSecret, row.id, url) },
    perRecipient: ['productUrl'],
  };
}
