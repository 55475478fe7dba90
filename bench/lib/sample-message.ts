import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readTemplateFiles } from '../../src/domain/templates/read-template-files.js';
import { createRenderer } from '../../src/mail/render.js';
import type { BoundMessage } from './smtp-bound.js';

/** What a restock wave's row carries plus what the sender adds (shop name, unsubscribe URL). */
export const sampleVars = {
  productName: 'Trail Runner 2 — Forest Green, EU 42',
  name: 'Alex',
  shopName: 'Example Outdoor',
  imageUrl: 'https://cdn.example.com/products/trail-runner-2.jpg',
  productUrl:
    'https://shop.example/products/trail-runner-2?utm_source=restock-notifier&utm_medium=email&utm_campaign=back-in-stock',
  quantity: 3,
  restockedAt: '2026-03-01T12:00:00.000Z',
  locale: 'en',
  unsubscribeUrl: 'https://shop.example/unsubscribe?token=1a.AbCdEfGhIjKlMnOpQrStUv',
  footerNote: 'You get this email because you asked to be notified when this product is back in stock.',
};

/**
 * The template the benchmarks render: `back-in-stock` as the service stores it (partials expanded,
 * subject = its mj-title). Falls back to a bench fixture if the template is missing.
 */
export async function benchTemplateSource(): Promise<{ key: string; subject: string; mjml: string }> {
  const files = await readTemplateFiles().catch(() => []);
  const real = files.find((f) => f.key === 'back-in-stock' && f.locale === 'default');
  if (real) return { key: real.key, subject: real.subject, mjml: real.mjml };
  const fixture = fileURLToPath(new URL('../fixtures/sample.mjml', import.meta.url));
  return { key: 'bench-fixture', subject: '{{productName}} is back in stock', mjml: readFileSync(fixture, 'utf8') };
}

/** One rendered message: what U_smtp sends over and over. */
export async function sampleMessage(from = 'Restock alerts <alerts@localhost>'): Promise<BoundMessage> {
  const renderer = createRenderer();
  const compiled = await renderer.compile(await benchTemplateSource());
  const r = renderer.render(compiled, sampleVars);
  return { from, subject: r.subject, html: r.html, text: r.text };
}
