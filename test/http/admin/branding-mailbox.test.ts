import { runSendPass } from '../../../src/jobs/send.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBranding } from '../../../src/domain/branding/get-branding.js';
import { listMailbox, readMailboxMessage } from '../../../src/domain/mailbox/read-mailbox.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { createProduct, createRestockEvent, createSubscribers } from '../../helpers/factories.js';
import { asSession, asToken, loginAs } from './console-helpers.js';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  deps = await createTestDeps({ env: { SHOP_NAME: 'Config Shop' } });
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

describe('branding', () => {
  it('defaults to SHOP_NAME, round-trips every field, records who, and is what getBranding answers', async () => {
    const initial = (await (
      await app.request('/api/v1/admin/branding', { headers: asToken(MARKETING_TOKEN) })
    ).json()) as Json;
    expect(initial).toMatchObject({ shopName: 'Config Shop', logoUrl: null, accentColor: null, updatedAt: null });
    const s = await loginAs(app, deps, 'marketing');
    const input = {
      shopName: 'Lampenladen',
      logoUrl: 'https://cdn.shop.example/logo.png',
      accentColor: '#1D4ED8',
      footerText: 'Lampenladen GmbH · Berlin',
      privacyText: 'We only use your address for this notice.',
      shopUrl: 'https://shop.example',
    };
    const put = await app.request('/api/v1/admin/branding', {
      method: 'PUT',
      headers: asSession(s),
      body: JSON.stringify(input),
    });
    expect(put.status).toBe(200);
    const saved = (await put.json()) as Json;
    expect(saved).toMatchObject({ ...input, accentColor: '#1d4ed8', updatedBy: s.email });
    const again = (await (
      await app.request('/api/v1/admin/branding', { headers: asToken(MARKETING_TOKEN) })
    ).json()) as Json;
    expect(again).toEqual(saved);
    expect(await getBranding(deps)).toEqual(saved);
    // Clearing the name falls back to SHOP_NAME again.
    await app.request('/api/v1/admin/branding', {
      method: 'PUT',
      headers: asSession(s),
      body: JSON.stringify({ ...input, shopName: '' }),
    });
    expect((await getBranding(deps)).shopName).toBe('Config Shop');
  });

  it('refuses a bad colour or URL with one detail per field', async () => {
    const res = await app.request('/api/v1/admin/branding', {
      method: 'PUT',
      headers: asToken(MARKETING_TOKEN),
      body: JSON.stringify({ accentColor: 'blue', logoUrl: 'javascript:alert(1)', shopUrl: 'ftp://x.example' }),
    });
    expect(res.status).toBe(400);
    const paths = (((await res.json()) as Json).error.details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(['accentColor', 'logoUrl', 'shopUrl']);
  });

  it('the email preview uses the branding', async () => {
    await app.request('/api/v1/admin/branding', {
      method: 'PUT',
      headers: asToken(MARKETING_TOKEN),
      body: JSON.stringify({ shopName: 'Brand Preview Shop' }),
    });
    const t = (await (
      await app.request('/api/v1/admin/templates/back-in-stock/en', { headers: asToken(MARKETING_TOKEN) })
    ).json()) as Json;
    const res = await app.request('/api/v1/admin/templates/back-in-stock/en/preview', {
      method: 'POST',
      headers: asToken(MARKETING_TOKEN),
      body: JSON.stringify({ subject: t.subject, mjml: t.mjml }),
    });
    expect(((await res.json()) as Json).html).toContain('Brand Preview Shop');
  });

  it('emails the sender renders carry the branding (it overrides SHOP_NAME)', async () => {
    await app.request('/api/v1/admin/branding', {
      method: 'PUT',
      headers: asToken(MARKETING_TOKEN),
      body: JSON.stringify({ shopName: 'Brand Sent Shop' }),
    });
    const { sku } = await createProduct(deps, { quantity: 0, name: 'Brand Lamp' });
    const [sub] = await createSubscribers(deps, sku, 1);
    await createRestockEvent(deps, sku, 2);
    await runSendPass(deps, deps.services);
    const list = await listMailbox(deps, { limit: 10, q: sub!.email });
    const msg = await readMailboxMessage(deps, { id: list.messages[0]!.id });
    expect(msg.html).toContain('Brand Sent Shop');
    expect(msg.html).not.toContain('Config Shop');
    expect(msg.headers.find((h) => h.name.toLowerCase() === 'list-id')?.value).toContain('Brand Sent Shop');
  });
});

describe('dev mailbox', () => {
  it('lists captured messages and shows one with html, text and headers', async () => {
    const s = await loginAs(app, deps, 'marketing', '192.0.2.9');
    const sent = await app.request('/api/v1/admin/templates/confirm/en/test-send', {
      method: 'POST',
      headers: asSession(s),
      body: '{}',
    });
    expect(sent.status).toBe(200);
    const list = (await (await app.request('/api/v1/admin/mailbox', { headers: asSession(s) })).json()) as Json;
    expect(list.messages[0]).toMatchObject({ to: s.email, subject: expect.stringMatching(/^\[TEST\] /) });
    const one = (await (
      await app.request(`/api/v1/admin/mailbox/${list.messages[0].id}`, { headers: asSession(s) })
    ).json()) as Json;
    expect(one.html).toContain('<html');
    expect(one.text).toBeTruthy();
    expect(one.headers.map((h: Json) => h.name.toLowerCase())).toEqual(
      expect.arrayContaining(['subject', 'to', 'message-id']),
    );
  });

  it('refuses ids that would leave the mailbox directory', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', 'x..y', 'a%2Fb', '%2Fetc%2Fpasswd']) {
      const res = await app.request(`/api/v1/admin/mailbox/${id}`, { headers: asToken(MARKETING_TOKEN) });
      expect(res.status, id).toBe(404);
    }
  });

  it('answers 409 NOT_CAPTURE_MODE when SMTP is configured', async () => {
    const smtpDeps = await createTestDeps({ smtpUrl: 'smtp://127.0.0.1:9' });
    try {
      const res = await createApp(smtpDeps, smtpDeps.services).request('/api/v1/admin/mailbox', {
        headers: asToken(MARKETING_TOKEN),
      });
      expect(res.status).toBe(409);
      expect(((await res.json()) as Json).error.code).toBe('NOT_CAPTURE_MODE');
    } finally {
      await smtpDeps.close();
    }
  });
});
