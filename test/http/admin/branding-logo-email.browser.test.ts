import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { senderFor } from '../../../src/mail/headers.js';
import { createApp } from '../../../src/http/app.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { createTestDeps, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { createProduct, createRestockEvent, createSubscribers } from '../../helpers/factories.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { asToken } from './console-helpers.js';

/**
 * Issue 20 point 6: the console's branding in every email and page. CAN-SPAM, 15 U.S.C. § 7704(a)(5)(A)(iii):
 * commercial email must include "a valid physical postal address of the sender" — the footer text is where
 * the shop puts it, so it must reach the emails.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let sink: SmtpSink;
let browser: TestBrowser;
const logos: Record<'png' | 'jpeg' | 'webp', Uint8Array> = {} as never;
const ADDRESS = 'Lampenladen GmbH\nTorstraße 1\n10119 Berlin, Germany';

/** A logo as a shop exports it, encoded by Chromium's own PNG, JPEG and WebP encoders. */
async function drawLogos(page: Page) {
  // A string, run in the page: the test's TypeScript has no DOM types.
  const out = (await page.evaluate(`(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 360;
    canvas.height = 96;
    const g = canvas.getContext('2d');
    g.fillStyle = '#15803d';
    g.fillRect(0, 0, 360, 96);
    g.fillStyle = '#ffffff';
    g.font = 'bold 44px sans-serif';
    g.fillText('Lampenladen', 24, 64);
    const enc = async (type) => {
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, type, 0.9));
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    };
    return { png: await enc('image/png'), jpeg: await enc('image/jpeg'), webp: await enc('image/webp') };
  })()`)) as Record<'png' | 'jpeg' | 'webp', number[]>;
  logos.png = new Uint8Array(out.png);
  logos.jpeg = new Uint8Array(out.jpeg);
  logos.webp = new Uint8Array(out.webp);
}

const upload = (body: string | Uint8Array<ArrayBuffer>, type: string) =>
  app.request('/api/v1/admin/branding/logo', {
    method: 'POST',
    headers: { ...asToken(MARKETING_TOKEN), 'content-type': type },
    body,
  });
const putBranding = (b: Json) =>
  app.request('/api/v1/admin/branding', { method: 'PUT', headers: asToken(MARKETING_TOKEN), body: JSON.stringify(b) });

beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({ smtpUrl: sink.url, env: { SHOP_NAME: 'Config Shop' } });
  app = createApp(deps, deps.services);
  browser = await launchBrowser();
  await drawLogos(await browser.newPage({ width: 400 }));
});
afterAll(async () => {
  await browser?.close();
  await deps?.close();
  await sink?.close();
});

describe('logo URLs and uploads', () => {
  it('an http logo URL is refused with a message that says why and what to do', async () => {
    const res = await putBranding({ shopName: 'Lampenladen', logoUrl: 'http://cdn.lampen.example/logo.png' });
    expect(res.status).toBe(400);
    const detail = (((await res.json()) as Json).error.details as Json[])[0]!;
    expect(detail).toMatchObject({ path: 'logoUrl' });
    expect(detail.message).toMatch(/https:\/\//);
    expect(detail.message).toMatch(/upload/);
    expect((await putBranding({ logoUrl: 'https://cdn.lampen.example/logo.png' })).status).toBe(200);
  });

  it('takes PNG, JPEG and WebP by their bytes, serves the image with an ETag and caching headers', async () => {
    for (const [kind, bytes] of Object.entries(logos)) {
      // Declared as PNG whatever it is: the type comes from the bytes.
      const res = await upload(bytes as Uint8Array<ArrayBuffer>, 'image/png');
      expect(res.status, kind).toBe(200);
      const b = (await res.json()) as Json;
      expect(b.logoSource).toBe('upload');
      expect(b.logoUrl).toMatch(/^https:\/\/shop\.example\/brand\/logo\?v=[0-9a-f]{16}$/);
      const path = new URL(b.logoUrl).pathname + new URL(b.logoUrl).search;
      const img = await app.request(path);
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe(`image/${kind}`);
      expect(img.headers.get('cache-control')).toBe('public, max-age=86400');
      expect(new Uint8Array(await img.arrayBuffer())).toEqual(bytes);
      const etag = img.headers.get('etag')!;
      const again = await app.request(path, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
    }
    // Multipart, as a browser's file input sends it.
    const form = new FormData();
    form.set('logo', new Blob([logos.png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), 'logo.png');
    const res = await app.request('/api/v1/admin/branding/logo', {
      method: 'POST',
      headers: { authorization: `Bearer ${MARKETING_TOKEN}` },
      body: form,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).logoSource).toBe('upload');
  });

  it('refuses SVG, HTML posing as an image, an empty file and more than 512 KB', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    const bad = await upload(svg, 'image/svg+xml');
    expect(bad.status).toBe(415);
    expect(((await bad.json()) as Json).error.message).toMatch(/PNG, JPEG or WebP/);
    expect((await upload('<html><body>hi</body></html>', 'image/png')).status).toBe(415);
    expect((await upload(new Uint8Array(0), 'image/png')).status).toBe(400);
    const big = new Uint8Array(512 * 1024 + 1);
    big.set(logos.png.subarray(0, 8));
    const tooBig = await upload(big, 'image/png');
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as Json).error.message).toMatch(/512 KB/);
  });
});

describe('the From header', () => {
  it('is the shop name at MAIL_FROM’s address unless MAIL_FROM names a sender itself', () => {
    expect(senderFor('alerts@localhost', 'Lampenladen')).toBe('"Lampenladen" <alerts@localhost>');
    expect(senderFor('news@lampen.example', 'Müller "&" Söhne')).toBe('"Müller \\"&\\" Söhne" <news@lampen.example>');
    expect(senderFor('Lampen News <news@lampen.example>', 'Lampenladen')).toBe('Lampen News <news@lampen.example>');
  });
});

describe('a branded email', () => {
  it('carries the logo (alt = shop name, linked to the shop), the accent button and the postal address; looks right in Chromium', async () => {
    await upload(logos.png as Uint8Array<ArrayBuffer>, 'image/png');
    const saved = await putBranding({
      shopName: 'Lampenladen',
      accentColor: '#15803d',
      footerText: ADDRESS,
      shopUrl: 'https://lampen.example',
    });
    expect(saved.status).toBe(200);
    const logoUrl = ((await saved.json()) as Json).logoUrl as string;

    const { sku } = await createProduct(deps, { quantity: 0, name: 'Arco Floor Lamp' });
    const [sub] = await createSubscribers(deps, sku, 1);
    await createRestockEvent(deps, sku, 3);
    const before = sink.messages.length;
    await runSendPass(deps, deps.services);
    const msg = (await sink.waitFor(before + 1)).slice(before).find((m) => m.envelopeTo.includes(sub!.email))!;
    expect(msg.parsed.from?.value).toEqual([{ name: 'Lampenladen', address: 'alerts@localhost' }]);
    const html = msg.parsed.html as string;
    // Handlebars escapes `=` in attribute values as `&#x3D;` (a browser reads it back as `=`).
    expect(html).toContain(`src="${logoUrl.replace(/=/g, '&#x3D;')}"`);
    expect(html).toContain('alt="Lampenladen"');
    expect(msg.parsed.text).toContain('10119 Berlin, Germany');

    for (const width of [1280, 390]) {
      const page = await browser.newPage({ width });
      // The email's images come from PUBLIC_BASE_URL (https://shop.example): answered by the app itself.
      await page.route('https://shop.example/**', async (route) => {
        const u = new URL(route.request().url());
        const res = await app.request(u.pathname + u.search);
        await route.fulfill({
          status: res.status,
          headers: Object.fromEntries(res.headers),
          body: Buffer.from(await res.arrayBuffer()),
        });
      });
      await page.setContent(html, { waitUntil: 'load' });
      const logo = page.locator('img[alt="Lampenladen"]');
      expect(await logo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(360);
      expect(await logo.evaluate((img) => img.closest('a')?.getAttribute('href'))).toBe('https://lampen.example');
      const button = page.locator('a', { hasText: 'Shop now' });
      expect(await button.evaluate((a) => a.ownerDocument.defaultView!.getComputedStyle(a).backgroundColor)).toBe(
        'rgb(21, 128, 61)',
      );
      expect(await button.evaluate((a) => a.ownerDocument.defaultView!.getComputedStyle(a).color)).toBe(
        'rgb(255, 255, 255)',
      );
      await expect(page.getByText('10119 Berlin, Germany').isVisible()).resolves.toBe(true);
      await browser.screenshot(page, `branded-email-${width}`);
    }
  });

  it('the confirmation (transactional) email has the logo and address too, and no unsubscribe line', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const before = sink.messages.length;
    const res = await app.request('/api/v1/signups', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@mail.example', sku }),
    });
    expect(res.status).toBe(201);
    await runSendPass(deps, deps.services, { plan: false });
    const msg = (await sink.waitFor(before + 1)).slice(before).find((m) => m.envelopeTo.includes('ada@mail.example'))!;
    expect(msg.parsed.from?.value[0]?.name).toBe('Lampenladen');
    expect(msg.parsed.html).toContain('alt="Lampenladen"');
    expect(msg.parsed.text).toContain('Torstraße 1');
    expect(msg.parsed.text).not.toMatch(/unsubscribe/i);
  });

  it('the hosted pages show the uploaded logo and the footer address', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const html = await (await app.request(`/signup/${sku}`)).text();
    expect(html).toMatch(
      /<img class="brand-logo" src="https:\/\/shop\.example\/brand\/logo\?v=[0-9a-f]{16}" alt="Lampenladen"/,
    );
    expect(html).toContain('Torstraße 1');
  });
});
