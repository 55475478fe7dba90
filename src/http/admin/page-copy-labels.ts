import { readFileSync } from 'node:fs';

/**
 * Human labels for the hosted pages' message keys, grouped by page in the order a shopper meets them.
 * Texts a marketer rarely touches (the honeypot, error pages, field names, the language code) go under
 * "Advanced". A key nobody labelled yet still shows, with a label made from its key.
 */
type CopyField = { key: string; label: string; multiline: boolean };
export type CopySection = { id: string; title: string; hint?: string; advanced?: boolean; fields: CopyField[] };

type SectionDef = { id: string; title: string; hint?: string; advanced?: boolean; match: (key: string) => boolean };

const sections: SectionDef[] = [
  {
    id: 'signup',
    title: 'Signup page',
    hint: 'The page of a product that is out of stock.',
    match: (k) => k.startsWith('signup.') && !/^signup\.(done|inStock|honeypot|error)\b/.test(k),
  },
  { id: 'signup-done', title: 'After signing up', match: (k) => k.startsWith('signup.done.') },
  {
    id: 'confirm',
    title: 'Confirmation page',
    hint: 'Opened from the link in the confirmation email.',
    match: (k) => k.startsWith('confirm.'),
  },
  { id: 'unsubscribe', title: 'Unsubscribe page', match: (k) => k.startsWith('unsubscribe.') },
  { id: 'still-interested', title: '“Still interested?” page', match: (k) => k.startsWith('stillInterested.') },
  {
    id: 'order',
    title: 'Order status page',
    hint: 'For customers whose order waits for stock.',
    match: (k) => k.startsWith('order.'),
  },
  { id: 'in-stock', title: 'Product is back in stock', match: (k) => k.startsWith('signup.inStock.') },
  { id: 'widget', title: 'Widget on your product pages', match: (k) => k.startsWith('widget.') },
  { id: 'layout', title: 'Header and footer of every page', match: (k) => k.startsWith('layout.') },
  { id: 'landing', title: 'Service start page', match: (k) => k.startsWith('landing.') },
  {
    id: 'errors',
    title: 'Error messages',
    advanced: true,
    match: (k) => k.startsWith('error.') || k === 'signup.error.email',
  },
  {
    id: 'technical',
    title: 'Technical texts',
    hint: 'Field names in error messages, the spam trap’s label, the page language.',
    advanced: true,
    match: () => true,
  },
];

/** Labels written for people; anything not here gets one made from its key (`labelFromKey`). */
const labels: Record<string, string> = {
  'meta.lang': 'Language code of the pages (en, de, …)',
  'layout.footer': 'Footer line',
  'layout.skip': '“Skip to content” link (for keyboard and screen reader users)',
  'signup.title': 'Browser tab title',
  'signup.eyebrow': 'Small line above the product name',
  'signup.lead': 'Introduction',
  'signup.eta': 'Expected date line',
  'signup.email.label': 'Email field label',
  'signup.email.hint': 'Hint under the email field',
  'signup.honeypot': 'Spam trap field label (hidden from people; bots fill it in)',
  'signup.submit': 'Button',
  'signup.doubleOptIn': 'Note that a confirmation email follows',
  'signup.waiting.one': 'How many wait — one person',
  'signup.waiting.other': 'How many wait — several people',
  'signup.consent': 'Privacy note under the form',
  'signup.back': 'Link back to the product',
  'signup.error.email': 'Error when the email address is not valid',
  'signup.done.title': 'Browser tab title',
  'signup.done.pending.heading': 'Heading when the address still has to be confirmed',
  'signup.done.pending.text': 'Text when the address still has to be confirmed',
  'signup.done.active.heading': 'Heading when the signup is complete',
  'signup.done.active.text': 'Text when the signup is complete',
  'signup.done.unknownProduct': 'Product name when the product no longer exists',
  'signup.done.back': 'Link back to the shop',
  'confirm.unsubscribe': 'Line offering to unsubscribe',
  'confirm.unsubscribe.link': 'Unsubscribe link text',
  'unsubscribe.submit': 'Button (this product)',
  'unsubscribe.all.submit': 'Button (all products)',
  'unsubscribe.done.all.heading': 'Heading after unsubscribing from everything',
  'unsubscribe.done.all.text': 'Text after unsubscribing from everything',
  'stillInterested.submit': 'Button',
  'widget.notifyMe': 'Heading',
  'widget.emailLabel': 'Email field label',
  'widget.submit': 'Button',
  'widget.sending': 'While sending',
  'widget.expectedBack': 'Expected date line',
  'widget.orderNow': 'Backorder line with a date',
  'widget.orderNowNoDate': 'Backorder line without a date',
  'widget.consent': 'Privacy note',
  'widget.pending': 'After signing up — confirmation needed',
  'widget.active': 'After signing up — complete',
  'widget.invalidEmail': 'Error: address not valid',
  'widget.inStock': 'Message when the product is in stock',
  'widget.rateLimited': 'Error: too many attempts',
  'widget.error': 'Error: anything else',
  'widget.waitingOne': 'How many wait — one person',
  'widget.waitingOther': 'How many wait — several people',
  'error.fields': 'List of fields to check',
  'error.back.form': 'Link back to the form',
  'error.back.home': 'Link back to the start',
};

const words: Record<string, string> = {
  title: 'browser tab title',
  heading: 'heading',
  text: 'text',
  lead: 'introduction',
  submit: 'button',
  link: 'link text',
  note: 'note',
  already: 'already done —',
  done: 'afterwards —',
  gone: 'no longer waiting —',
};

const errorNames: Record<string, string> = {
  VALIDATION: 'Form not filled in right',
  BAD_REQUEST: 'Request not understood',
  UNAUTHORIZED: 'Sign-in needed',
  FORBIDDEN: 'Not allowed',
  CSRF_INVALID: 'Form expired',
  TEMPLATE_INVALID: 'Template not valid',
  NOT_CAPTURE_MODE: 'Mailbox not available',
  NOT_FOUND: 'Page not found',
  UNKNOWN_SKU: 'Unknown product',
  IN_STOCK: 'Product in stock',
  CONFLICT: 'Already changed',
  INVALID_TOKEN: 'Link not valid',
  TOKEN_EXPIRED: 'Link expired',
  PAYLOAD_TOO_LARGE: 'Too much data',
  UNSUPPORTED_MEDIA_TYPE: 'Wrong kind of data',
  RATE_LIMITED: 'Too many attempts',
  NOT_READY: 'Service starting',
  INTERNAL: 'Something went wrong',
};
const errorPages: Record<string, string> = {
  confirm: 'confirmation link',
  unsubscribe: 'unsubscribe link',
  order: 'order page',
};

/** `error.confirm.INVALID_TOKEN.text` → "Link not valid (confirmation link): text". */
function errorLabel(key: string): string | undefined {
  const m = /^error\.(?:([a-z]+)\.)?([A-Z_]+)\.(title|text)$/.exec(key);
  if (!m) return undefined;
  const where = m[1] ? ` (${errorPages[m[1]] ?? m[1]})` : '';
  return `${errorNames[m[2]!] ?? m[2]}${where}: ${m[3] === 'title' ? 'heading' : 'text'}`;
}

/** `confirm.already.heading` → "Already done — heading"; `order.status.cancel_due` → "Status: cancel due". */
function labelFromKey(key: string): string {
  const parts = key.split('.').slice(1);
  if (parts[0] === 'status') return `Status: ${parts.slice(1).join(' ').replace(/_/g, ' ')}`;
  if (parts[0] === 'event') return `History entry: ${parts.slice(1).join(' ').replace(/_/g, ' ')}`;
  const text = parts
    .map(
      (p) =>
        words[p] ??
        p
          .replace(/([a-z])([A-Z])/g, '$1 $2')
          .replace(/_/g, ' ')
          .toLowerCase(),
    )
    .join(' ')
    .replace(/ — (\S)/g, ' — $1');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const LONG = /(^|\.)(text|lead|consent|note|silence|deadline|anytime|footer|doubleOptIn)$|\.text\b/;

/** The catalogue's own order (templates/pages/en.json lists each page's texts top to bottom). */
const shippedOrder: string[] = (() => {
  try {
    return Object.keys(
      JSON.parse(readFileSync(new URL('../../../templates/pages/en.json', import.meta.url), 'utf8')) as object,
    );
  } catch {
    return [];
  }
})();

/** The keys grouped into sections (page order, Advanced last), each with a label and its field kind. */
export function pageCopySections(keys: readonly string[], values: Record<string, string>): CopySection[] {
  const rank = new Map(shippedOrder.map((k, i) => [k, i]));
  const ordered = [...keys].sort((a, b) => (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9) || a.localeCompare(b));
  const out: CopySection[] = sections.map((s) => ({
    id: s.id,
    title: s.title,
    hint: s.hint,
    advanced: s.advanced,
    fields: [],
  }));
  for (const key of ordered) {
    const i = sections.findIndex((s) => s.match(key));
    const label = labels[key] ?? errorLabel(key) ?? labelFromKey(key);
    out[i]!.fields.push({ key, label, multiline: LONG.test(key) || (values[key] ?? '').length > 60 });
  }
  return out.filter((s) => s.fields.length > 0);
}
