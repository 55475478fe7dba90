/**
 * Who opened a tracked link: a person, or a machine that opens every link of a message (mail
 * security gateways "detonate" links before the recipient sees the message; previewers fetch them).
 *
 * Contract (pure, no I/O):
 * - a HEAD request is a scanner (`head`): browsers following a link send GET;
 * - a known link-scanner or bot user agent, or none at all, is a scanner (`user_agent`);
 * - a request within SCANNER_WINDOW_MS of the message's delivery is a scanner (`too_fast`): no person
 *   receives, opens and clicks an email in 2 seconds, a gateway scanning on arrival does;
 * - everything else is a person. Whether a person's click is the first of the delivery or a repeat
 *   is decided by the database (one `first` row per delivery), not here.
 */
export type ClickClass = { kind: 'person' } | { kind: 'scanner'; reason: 'head' | 'user_agent' | 'too_fast' };

export const SCANNER_WINDOW_MS = 2000;

/**
 * Link scanners and previewers seen in click logs: Microsoft Defender Safe Links / Office, Proofpoint
 * URL Defense, Mimecast, Barracuda, Cisco/IronPort, Symantec/MessageLabs, Trend Micro, Sophos,
 * Forcepoint, Zscaler, Google's image proxy and safe browsing, chat unfurlers, HTTP libraries, and
 * anything that calls itself a bot, crawler, spider, scanner or headless browser.
 */
const SCANNER_UA =
  /safelinks|ms-office|microsoft office|office existence discovery|proofpoint|urldefense|mimecast|barracuda|ironport|cisco|symantec|messagelabs|trendmicro|trend micro|sophos|forcepoint|zscaler|googleimageproxy|google-safety|google-read-aloud|bingpreview|slackbot|facebookexternalhit|twitterbot|linkedinbot|whatsapp|skypeuripreview|python-requests|python-urllib|go-http-client|okhttp|curl\/|wget\/|libwww|java\/|headlesschrome|phantomjs|\bbot\b|bot\/|crawler|spider|scanner/i;

export function classifyClick(input: {
  method: string;
  userAgent: string | undefined;
  deliveredAt: Date | null;
  at: Date;
}): ClickClass {
  if (input.method.toUpperCase() === 'HEAD') return { kind: 'scanner', reason: 'head' };
  const ua = input.userAgent?.trim() ?? '';
  if (ua === '' || SCANNER_UA.test(ua)) return { kind: 'scanner', reason: 'user_agent' };
  if (input.deliveredAt && input.at.getTime() - input.deliveredAt.getTime() < SCANNER_WINDOW_MS)
    return { kind: 'scanner', reason: 'too_fast' };
  return { kind: 'person' };
}
