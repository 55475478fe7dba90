import { runSendPass } from '../../../src/jobs/send.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublishedTemplates, pickTemplate } from '../../../src/domain/templates/load-published-templates.js';
import { createApp } from '../../../src/http/app.js';
import { createRenderer } from '../../../src/mail/render.js';
import { createTestDeps, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { createProduct, createRestockEvent, createSubscribers } from '../../helpers/factories.js';
import { asSession, asToken, loginAs, type ConsoleSession } from './console-helpers.js';

let sink: SmtpSink;
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let editor: ConsoleSession;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const base = '/api/v1/admin/templates/back-in-stock/en';
const req = async (path: string, init: RequestInit = {}) => {
  const res = await app.request(path, {
    ...init,
    headers: { ...asSession(editor), ...(init.headers as Record<string, string>) },
  });
  return { status: res.status, body: (await res.json()) as Json };
};

beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({ smtpUrl: sink.url, env: { TEST_SEND_ALLOWED: 'qa@shop.example' } });
  app = createApp(deps, deps.services);
  editor = await loginAs(app, deps, 'marketing');
});
afterAll(async () => {
  await deps.close();
  await sink.close();
});

/** The back-in-stock email as the sender renders it now: published version, fixed variables. */
async function renderedAsSent(): Promise<string> {
  const t = pickTemplate(await loadPublishedTemplates(deps), 'back-in-stock', 'en');
  const renderer = createRenderer();
  const compiled = await renderer.compile({ subject: t!.subject, mjml: t!.mjml });
  const r = renderer.render(compiled, {
    productName: 'Lamp',
    productUrl: 'https://shop.example/lamp',
    shopName: 'Shop',
    unsubscribeUrl: 'https://shop.example/u',
    restockedAt: '2026-03-01T00:00:00Z',
  });
  return `${r.subject}\n${r.html}\n${r.text}`;
}

describe('template editing API', () => {
  it('lists every template × locale with its status', async () => {
    const { status, body } = await req('/api/v1/admin/templates');
    expect(status).toBe(200);
    const bis = body.templates.find((t: Json) => t.key === 'back-in-stock' && t.locale === 'en');
    expect(bis).toMatchObject({ kind: 'email', publishedVersion: 1, draftVersion: null });
    expect(body.templates.map((t: Json) => t.key)).toEqual(
      expect.arrayContaining(['confirm', 'back-in-stock', 'eta-revised']),
    );
  });

  it('gets the published version with its declared variables', async () => {
    const { body } = await req(base);
    expect(body).toMatchObject({
      key: 'back-in-stock',
      locale: 'en',
      version: 1,
      status: 'published',
      current: true,
      publishedVersion: 1,
    });
    expect(body.mjml).toContain('<mjml');
    expect(Object.keys(body.variables)).toContain('productName');
  });

  it('previews unsaved content with example data, or with a real SKU, and saves nothing', async () => {
    const { body: t } = await req(base);
    const mjml = t.mjml.replace('is back in stock as of', 'is BACK as of');
    const ex = await req(`${base}/preview`, { method: 'POST', body: JSON.stringify({ subject: t.subject, mjml }) });
    expect(ex.status).toBe(200);
    expect(ex.body.html).toContain('is BACK as of');
    expect(ex.body.html).toContain('Trail Runner 2'); // the declared example
    expect(ex.body.text).toContain('is BACK as of');
    expect(ex.body.checks).toEqual([]);
    const { sku } = await createProduct(deps, { quantity: 0, name: 'Preview Lamp' });
    const real = await req(`${base}/preview`, {
      method: 'POST',
      body: JSON.stringify({ subject: t.subject, mjml, sku }),
    });
    expect(real.body.subject).toBe('Preview Lamp is back in stock');
    expect((await req(base)).body.version).toBe(1);
    expect(
      (await req(`${base}/preview`, { method: 'POST', body: JSON.stringify({ subject: 's', mjml, sku: 'NOPE-1' }) }))
        .status,
    ).toBe(404);
  });

  it('preview reports MJML errors with their line numbers', async () => {
    const broken =
      '<mjml>\n<mj-body>\n<mj-section>\n<mj-column>\n<mj-text>Hi</mj-text>\n<mj-bogus>x</mj-bogus>\n</mj-column>\n</mj-section>\n</mj-body>\n</mjml>';
    const { body } = await req(`${base}/preview`, {
      method: 'POST',
      body: JSON.stringify({ subject: 'x', mjml: broken }),
    });
    const mjmlErrors = body.checks.filter((c: Json) => c.code === 'MJML_ERROR');
    expect(mjmlErrors.length).toBeGreaterThan(0);
    expect(mjmlErrors[0]).toMatchObject({ level: 'error', line: 6 });
  });

  it('invalid MJML is saved as a draft but refused on publish with 422 and line numbers', async () => {
    const { body: t } = await req(base);
    const lines = t.mjml.split('\n');
    lines.splice(12, 0, '    <mj-section><mj-text>text outside a column</mj-text></mj-section>');
    const saved = await req(base, {
      method: 'PUT',
      body: JSON.stringify({ subject: t.subject, mjml: lines.join('\n') }),
    });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    expect(saved.body.checks.some((c: Json) => c.code === 'MJML_ERROR' && c.line === 13)).toBe(true);
    const pub = await req(`${base}/publish`, { method: 'POST' });
    expect(pub.status).toBe(422);
    expect(pub.body.error.code).toBe('TEMPLATE_INVALID');
    expect(pub.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'MJML_ERROR', line: 13, level: 'error' })]),
    );
    expect((await req(`${base}/versions`)).body.publishedVersion).toBe(1);
  });

  it('a draft is saved in place until published; publishing records who; versions show history', async () => {
    const before = await renderedAsSent();
    const { body: v1 } = await req(`${base}?version=1`);
    const mjml = v1.mjml.replace('is back in stock as of', 'is finally back as of');
    const saved = await req(base, { method: 'PUT', body: JSON.stringify({ subject: v1.subject, mjml }) });
    expect(saved.body.version).toBe(2); // the broken draft, overwritten
    const draft = await req(base);
    expect(draft.body).toMatchObject({
      version: 2,
      status: 'draft',
      current: false,
      publishedVersion: 1,
      createdBy: editor.email,
    });
    const pub = await req(`${base}/publish`, { method: 'POST' });
    expect(pub.status).toBe(200);
    expect(pub.body.version).toBe(2);
    expect(await renderedAsSent()).not.toBe(before);
    expect(await renderedAsSent()).toContain('is finally back as of');
    const hist = await req(`${base}/versions`);
    expect(hist.body.publishedVersion).toBe(2);
    expect(hist.body.versions.map((v: Json) => [v.version, v.status, v.current])).toEqual([
      [2, 'published', true],
      [1, 'published', false],
    ]);
    expect(hist.body.versions[0]).toMatchObject({ createdBy: editor.email, publishedBy: editor.email });
    expect((await req(`${base}/publish`, { method: 'POST' })).status).toBe(409);
  });

  it('rollback publishes a copy that renders the old output byte for byte', async () => {
    // Version 1 as the sender renders it, through a fresh copy of the seeded row.
    const { body: v1 } = await req(`${base}?version=1`);
    const renderer = createRenderer();
    const vars = {
      productName: 'Lamp',
      productUrl: 'https://shop.example/lamp',
      shopName: 'Shop',
      unsubscribeUrl: 'https://shop.example/u',
      restockedAt: '2026-03-01T00:00:00Z',
    };
    const old = renderer.render(await renderer.compile({ subject: v1.subject, mjml: v1.mjml }), vars);
    const rb = await req(`${base}/rollback`, { method: 'POST', body: JSON.stringify({ version: 1 }) });
    expect(rb.status).toBe(200);
    expect(rb.body).toMatchObject({ version: 3, copiedFrom: 1 });
    expect(await renderedAsSent()).toBe(`${old.subject}\n${old.html}\n${old.text}`);
    const hist = await req(`${base}/versions`);
    expect(hist.body.versions[0]).toMatchObject({ version: 3, status: 'published', current: true, copiedFrom: 1 });
    expect((await req(`${base}/rollback`, { method: 'POST', body: JSON.stringify({ version: 99 }) })).status).toBe(404);
  });

  it('test-send delivers the draft to the logged-in user through SMTP, marked [TEST]', async () => {
    const { body: t } = await req(base);
    await req(base, {
      method: 'PUT',
      body: JSON.stringify({
        subject: t.subject,
        mjml: t.mjml.replace('is back in stock as of', 'draft headline as of'),
      }),
    });
    const before = sink.messages.length;
    const sent = await req(`${base}/test-send`, { method: 'POST', body: '{}' });
    expect(sent.status).toBe(200);
    const [msg] = (await sink.waitFor(before + 1)).slice(before);
    expect(msg?.envelopeTo).toEqual([editor.email]);
    expect(msg?.parsed.subject).toMatch(/^\[TEST\] Trail Runner 2 is back in stock$/);
    expect(msg?.parsed.text).toContain('draft headline as of');
    // With a token there is no "me": `to` is required.
    const tokenSend = await app.request(`${base}/test-send`, {
      method: 'POST',
      headers: asToken(MARKETING_TOKEN),
      body: '{}',
    });
    expect(tokenSend.status).toBe(400);
    const to = await app.request(`${base}/test-send`, {
      method: 'POST',
      headers: asToken(MARKETING_TOKEN),
      body: JSON.stringify({ to: 'qa@shop.example' }),
    });
    expect(to.status).toBe(200);
    expect((await sink.waitFor(before + 2))[before + 1]?.envelopeTo).toEqual(['qa@shop.example']);
  });

  it('a restock after publishing sends the new headline', async () => {
    await req(`${base}/publish`, { method: 'POST' });
    const { sku } = await createProduct(deps, { quantity: 0, name: 'Headline Lamp' });
    const [sub] = await createSubscribers(deps, sku, 1);
    await createRestockEvent(deps, sku, 5);
    const before = sink.messages.length;
    await runSendPass(deps, deps.services);
    const received = (await sink.waitFor(before + 1)).slice(before).find((m) => m.envelopeTo.includes(sub!.email));
    expect(received?.parsed.text).toContain('draft headline as of');
  });

  it('a new locale starts from the fallback and is created on save', async () => {
    const de = await req('/api/v1/admin/templates/back-in-stock/de-CH');
    expect(de.body).toMatchObject({ status: 'new', version: 0, fallbackLocale: 'de' }); // de-CH falls back to de
    const saved = await req('/api/v1/admin/templates/back-in-stock/de-CH', {
      method: 'PUT',
      body: JSON.stringify({ subject: de.body.subject, mjml: de.body.mjml }),
    });
    expect(saved.body.version).toBe(1);
    expect((await req('/api/v1/admin/templates/nope/en')).status).toBe(404);
    expect(
      (
        await req('/api/v1/admin/templates/nope/en', {
          method: 'PUT',
          body: JSON.stringify({ subject: 'a', mjml: '<mjml></mjml>' }),
        })
      ).status,
    ).toBe(404);
  });
});
