import type { Backorder, BackorderEvent } from '../../db/schema/index.js';
import type { Availability } from '../../domain/inventory/get-availability.js';
import { SAMPLE_IMAGE_PATH } from '../../domain/templates/sample-image.js';
import type { PageChrome } from './layout.js';
import { layerMessages, messagesFor } from './messages.js';
import { OrderStatusPage } from './order-status.js';
import type { PageSettingsValue } from './page-settings.js';
import { SignupDonePage, SignupFormPage } from './signup.js';
import { appCss } from './stylesheet.js';
import { ConfirmedPage, UnsubscribePage } from './subscription.js';
import { brandCss } from './routes/page-assets.js';

/** The hosted pages a copy preview can show, in the order a shopper meets them. */
export const PREVIEW_PAGES = ['signup', 'signup-done', 'confirm', 'unsubscribe', 'order'] as const;
export type PreviewPage = (typeof PREVIEW_PAGES)[number];

const day = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * One hosted page rendered by the service's own page components with a draft catalogue for `locale`
 * laid over the live one, the live branding, and a sample product/order — what a shopper would see
 * once the draft is published. The stylesheets are inlined (the preview frame loads nothing but
 * images); links and forms stay as they are and do nothing in the sandboxed frame.
 */
export async function renderPagePreview(
  live: PageSettingsValue,
  input: {
    locale: string;
    draft: Record<string, string>;
    page: PreviewPage;
    publicBaseUrl: string;
    now: Date;
    /** The settings in force, so the preview shows what shoppers see (the opt-in note, the waiting count). */
    settings?: { doubleOptIn: boolean; showWaitlistCount: boolean };
  },
): Promise<string> {
  const catalogue = layerMessages(live.catalogue, { [input.locale]: input.draft });
  const m = messagesFor(catalogue, input.locale);
  const chrome: PageChrome = { m, shopName: live.shopName, brand: live.brand, catalogue };
  const now = input.now.getTime();
  const product: Availability = {
    sku: 'SAMPLE-1',
    name: 'Trail Runner 2',
    url: live.brand.shopUrl,
    imageUrl: `${input.publicBaseUrl}${SAMPLE_IMAGE_PATH}`,
    status: 'out_of_stock',
    eta: isoDay(now + 14 * day),
    etaReason: null,
    waiting: (input.settings?.showWaitlistCount ?? true) ? 12 : null,
  };
  const doubleOptIn = input.settings?.doubleOptIn ?? true;
  const element = (() => {
    switch (input.page) {
      case 'signup':
        return SignupFormPage({ ...chrome, product, doubleOptIn });
      case 'signup-done':
        return SignupDonePage({ ...chrome, productName: product.name, productUrl: product.url, pending: doubleOptIn });
      case 'confirm':
        return ConfirmedPage({ ...chrome, productName: product.name, unsubscribeHref: '#' });
      case 'unsubscribe':
        return UnsubscribePage({
          ...chrome,
          maskedEmail: 'j•••@example.com',
          productName: product.name,
          actionHref: '#',
          already: false,
        });
      case 'order':
        return sampleOrder(chrome, product.name, now);
    }
  })();
  const html = String(await element.toString());
  const css = `<style>${appCss}${live.brand.accentColor ? brandCss(live.brand.accentColor) : ''}</style>`;
  return html.replace(/<link rel="stylesheet"[^>]*>/g, '').replace('</head>', `${css}</head>`);
}

/** A backordered line whose ship date slipped and that waits for the customer's answer: the page with the most words on it. */
function sampleOrder(chrome: PageChrome, productName: string, now: number) {
  const at = new Date(now - 20 * day);
  const line = {
    orderId: '1042',
    orderLabel: '#1042',
    quantity: 1,
    status: 'open',
    promisedDate: isoDay(now - 2 * day),
    expectedDate: isoDay(now + 21 * day),
    expectedReason: 'supplier delay',
    consentDeadline: isoDay(now + 10 * day),
    awaitingAnswer: true,
    noticeRevision: 1,
    customerAnswer: null,
  } as unknown as Backorder;
  const event = (type: string, extra: Partial<BackorderEvent>, ago: number) =>
    ({
      type,
      at: new Date(now - ago * day),
      reason: null,
      oldDate: null,
      newDate: null,
      answer: null,
      newStatus: null,
      ...extra,
    }) as BackorderEvent;
  const events = [
    event('registered', { newDate: line.promisedDate, at }, 20),
    event('date_revised', { oldDate: line.promisedDate, newDate: line.expectedDate, reason: 'supplier delay' }, 3),
    event('notice', {}, 3),
  ];
  return OrderStatusPage({ ...chrome, line, productName, events, actionHref: '#' });
}
