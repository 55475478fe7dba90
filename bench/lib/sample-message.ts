import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRenderer } from '../../src/mail/render.js';
import type { BoundMessage } from './smtp-bound.js';

export const sampleVars = {
  productName: 'Trail Runner 2 — Forest Green, EU 42',
  recipientName: 'Alex',
  shopName: 'Example Outdoor',
  imageUrl: 'https://cdn.example.com/products/trail-runner-2.jpg',
  productUrl: 'https://shop.example/products/trail-runner-2?utm_source=restock-notifier&utm_medium=email&utm_campaign=back-in-stock',
  quantityState: 'Only a few left',
  quantity: 3,
  restockedAt: '2026-03-01',
  locale: 'en',
  unsubscribeUrl: 'https://shop.example/unsubscribe?token=1a.AbCdEfGhIjKlMnOpQrStUv',
};

/** The template the benchmarks render: the product's `back-in-stock` when present, else a fixture. */
export function benchTemplateSource(): { key: string; subject: string; mjml: string } {
  const fixture = fileURLToPath(new URL('../fixtures/sample.mjml', import.meta.url));
  const real = fileURLToPath(new URL('../../templates/back-in-stock.mjml', import.meta.url));
  if (existsSync(real)) {
    return { key: 'back-in-stock', subject: '{{productName}} is back in stock', mjml: readFileSync(real, 'utf8') };
  }
  return { key: 'bench-fixture', subject: '{{productName}} is back in stock', mjml: readFileSync(fixture, 'utf8') };
}

/** One rendered message: what U_smtp sends over and over. */
export async function sampleMessage(from = 'Restock alerts <alerts@localhost>'): Promise<BoundMessage> {
  const renderer = createRenderer();
  const source = benchTemplateSource();
  const compiled = await renderer.compile(source);
  const r = renderer.render(compiled, sampleVars);
  return { from, subject: r.subject, html: r.html, text: r.text };
}
