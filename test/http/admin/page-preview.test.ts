import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPageCopy } from '../../../src/domain/templates/seed-page-copy.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { asSession, loginAs, type ConsoleSession } from './console-helpers.js';

/** The hosted pages' copy preview (the real page components with draft words) and the sample product picture. */
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let marketer: ConsoleSession;
let messages: Record<string, string>;

beforeAll(async () => {
  deps = await createTestDeps();
  await seedPageCopy(deps);
  app = createApp(deps, deps.services);
  marketer = await loginAs(app, deps, 'marketing');
  const doc = (await (
    await app.request('/api/v1/admin/templates/pages/en', { headers: asSession(marketer) })
  ).json()) as { messages: Record<string, string> };
  messages = doc.messages;
});
afterAll(() => deps.close());

const preview = (body: object, locale = 'en') =>
  app.request(`/api/v1/admin/templates/pages/${locale}/preview`, {
    method: 'POST',
    headers: asSession(marketer),
    body: JSON.stringify(body),
  });

describe('hosted pages preview', () => {
  it('renders each page with the draft words, the branding and inlined styles; saves nothing', async () => {
    await app.request('/api/v1/admin/branding', {
      method: 'PUT',
      headers: asSession(marketer),
      body: JSON.stringify({ shopName: 'Peak Outfitters', accentColor: '#0f766e' }),
    });
    const draft = {
      ...messages,
      'signup.submit': 'Tell me first',
      'unsubscribe.heading': 'Leaving already?',
      'order.choice.wait': 'I will wait',
      'confirm.heading': 'All set',
      'signup.done.pending.heading': 'Look in your inbox',
    };
    const expected: Record<string, string> = {
      signup: 'Tell me first',
      unsubscribe: 'Leaving already?',
      order: 'I will wait',
      confirm: 'All set',
      'signup-done': 'Look in your inbox',
    };
    for (const [page, text] of Object.entries(expected)) {
      const res = await preview({ messages: draft, page });
      expect(res.status, page).toBe(200);
      const { html, checks } = (await res.json()) as { html: string; checks: unknown[] };
      expect(html, page).toContain(text);
      expect(html, page).toContain('<html lang="en">');
      expect(html, page).toContain('Peak Outfitters');
      expect(html, page).toContain('--accent:#0f766e');
      expect(html, page).not.toMatch(/<link rel="stylesheet"/);
      expect(html, page).not.toMatch(/<script/i);
      expect(checks, page).toEqual([]);
    }
    // Nothing was saved: the live page still says the shipped words.
    const live = await app.request('/api/v1/admin/templates/pages/en', { headers: asSession(marketer) });
    expect(((await live.json()) as { messages: Record<string, string> }).messages['signup.submit']).toBe(
      messages['signup.submit'],
    );
    // The signup page is the default; German falls back to English for a key it lacks.
    const de = await preview({ messages: { 'signup.submit': 'Benachrichtigen' } }, 'de');
    expect(((await de.json()) as { html: string }).html).toContain('Benachrichtigen');
    expect((await preview({ messages, page: 'checkout' })).status).toBe(400);
  });

  it('shows the sample product picture the service serves (also in the email preview)', async () => {
    const html = ((await (await preview({ messages, page: 'signup' })).json()) as { html: string }).html;
    expect(html).toContain('src="https://shop.example/assets/sample-product.png"');
    const img = await app.request('/assets/sample-product.png');
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await img.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const email = await app.request('/api/v1/admin/templates/back-in-stock/en', { headers: asSession(marketer) });
    const { subject, mjml } = (await email.json()) as { subject: string; mjml: string };
    const rendered = await app.request('/api/v1/admin/templates/back-in-stock/en/preview', {
      method: 'POST',
      headers: asSession(marketer),
      body: JSON.stringify({ subject, mjml }),
    });
    const body = (await rendered.json()) as { html: string };
    expect(body.html).toContain('https://shop.example/assets/sample-product.png');
    expect(body.html).not.toContain('shop.example/img/');
  });
});
