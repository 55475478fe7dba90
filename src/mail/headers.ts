/**
 * Header and link helpers for bulk mail: RFC 2369 List-*, RFC 8058 one-click, Message-ID from the
 * delivery id, UTM-tagged product links, the From header.
 */
import addressparser from 'nodemailer/lib/addressparser';

/** The domain our Message-IDs and List-Id live under: MAIL_FROM's domain, else PUBLIC_BASE_URL's host. */
export function mailDomain(mailFrom: string, publicBaseUrl: string): string {
  const fromDomain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom.trim())?.[1];
  if (fromDomain && fromDomain.includes('.')) return fromDomain.toLowerCase();
  try {
    return new URL(publicBaseUrl).hostname.toLowerCase();
  } catch {
    return fromDomain ?? 'localhost';
  }
}

/** Stable across retries, so a receiver that got an "unknown" attempt can drop the duplicate. */
export function deliveryMessageId(deliveryId: number, domain: string): string {
  return `<delivery-${deliveryId}@${domain}>`;
}

/**
 * List-Unsubscribe with the HTTPS one-click URL (RFC 8058: the POST target; the body is
 * `List-Unsubscribe=One-Click`), List-Unsubscribe-Post, and a List-Id per template so receivers can
 * filter "back in stock" separately from "new expected date".
 */
export function bulkHeaders(input: {
  unsubscribeUrl?: string;
  templateKey: string;
  shopName: string;
  domain: string;
}): Record<string, string> {
  // The List-Id phrase as plain atoms: quoting would make nodemailer MIME-encode the whole value.
  const name =
    input.shopName
      .replace(/[^\p{L}\p{N} !#$%&'*+\-/=?^_`{|}~]/gu, '')
      .replace(/\s+/g, ' ')
      .trim() || 'Restock alerts';
  const headers: Record<string, string> = { 'List-Id': `${name} <${input.templateKey}.${input.domain}>` };
  if (input.unsubscribeUrl) {
    headers['List-Unsubscribe'] = `<${input.unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return headers;
}

/** Adds utm_source/utm_medium/utm_campaign (overwriting any the shop set); non-URLs pass through. */
export function withUtm(url: string | null | undefined, campaign: string): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    u.searchParams.set('utm_source', 'restock-notifier');
    u.searchParams.set('utm_medium', 'email');
    u.searchParams.set('utm_campaign', campaign);
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * The From header: MAIL_FROM as it is when it carries a display name of its own
 * (`"Lampenladen" <news@shop.example>`), else the shop's name in front of its address
 * (`"Lampenladen" <alerts@localhost>`), so recipients see who writes rather than a technical sender.
 */
export function senderFor(mailFrom: string, shopName: string): string {
  const [parsed] = addressparser(mailFrom);
  if (!parsed?.address || parsed.name.trim() !== '') return mailFrom;
  const name = shopName.replace(/[\r\n\t]+/g, ' ').trim();
  if (!name) return parsed.address;
  return `"${name.replace(/["\\]/g, (ch) => `\\${ch}`)}" <${parsed.address}>`;
}
