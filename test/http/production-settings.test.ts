import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { shopperCors } from '../../src/http/cors.js';
import { createMailer } from '../../src/mail/mailer.js';
import { startupWarnings } from '../../src/startup-notes.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';
import { Hono } from 'hono';

/**
 * Issue 21 points 6 and 7 (the parts without a browser). RFC 8058 §3.1: the List-Unsubscribe-Post
 * target "MUST be an HTTPS URI" — so production refuses an http PUBLIC_BASE_URL. RFC 7489 §3.1.1
 * (DMARC, DKIM identifier alignment): "the DKIM d= domain and the RFC5322.From domain" must match
 * (relaxed: share an organizational domain).
 */
const SECRET = 'x'.repeat(40);

describe('production settings', () => {
  it('PUBLIC_BASE_URL must be https under NODE_ENV=production (a start-up error, every problem at once)', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', APP_SECRET: SECRET, PUBLIC_BASE_URL: 'http://shop.example' }),
    ).toThrowError(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production', APP_SECRET: SECRET, PUBLIC_BASE_URL: 'http://shop.example' });
    } catch (e) {
      expect((e as ConfigError).problems.join('\n')).toMatch(/PUBLIC_BASE_URL: must be an https/);
    }
    expect(
      loadConfig({ NODE_ENV: 'production', APP_SECRET: SECRET, PUBLIC_BASE_URL: 'https://shop.example' }).publicBaseUrl,
    ).toBe('https://shop.example');
    expect(loadConfig({ NODE_ENV: 'development', PUBLIC_BASE_URL: 'http://localhost:3000' }).publicBaseUrl).toBe(
      'http://localhost:3000',
    );
  });

  it('warns when MAIL_FROM is not aligned with DKIM_DOMAIN, not when it is', () => {
    const base = {
      NODE_ENV: 'production',
      APP_SECRET: SECRET,
      PUBLIC_BASE_URL: 'https://shop.example',
      DKIM_SELECTOR: 's1',
      DKIM_PRIVATE_KEY: 'k',
      METRICS_TOKEN: 'metrics-token-1',
    };
    const off = startupWarnings(
      loadConfig({ ...base, MAIL_FROM: 'Shop <alerts@shop.example>', DKIM_DOMAIN: 'mailer.example' }),
      { appSecretGenerated: false },
    );
    expect(off.join('\n')).toMatch(
      /MAIL_FROM's domain \(shop\.example\) is not aligned with DKIM_DOMAIN \(mailer\.example\)/,
    );
    const sub = startupWarnings(
      loadConfig({ ...base, MAIL_FROM: 'Shop <alerts@mail.shop.example>', DKIM_DOMAIN: 'shop.example' }),
      { appSecretGenerated: false },
    );
    expect(sub.join('\n')).not.toMatch(/aligned/);
  });

  it('warns about an open /metrics in production, not with METRICS_TOKEN or METRICS_PORT', () => {
    const base = { NODE_ENV: 'production', APP_SECRET: SECRET, PUBLIC_BASE_URL: 'https://shop.example' };
    expect(startupWarnings(loadConfig(base), { appSecretGenerated: false }).join('\n')).toMatch(
      /METRICS_TOKEN is not set: GET \/metrics is open/,
    );
    expect(
      startupWarnings(loadConfig({ ...base, METRICS_TOKEN: 'metrics-token-1' }), { appSecretGenerated: false }).join(
        '\n',
      ),
    ).not.toMatch(/metrics is open/);
    expect(
      startupWarnings(loadConfig({ ...base, METRICS_PORT: '9464' }), { appSecretGenerated: false }).join('\n'),
    ).not.toMatch(/metrics is open/);
  });

  it('DEMO_PAGE: on by default in development, off in production, either way when set', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).demoPage).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: SECRET }).demoPage).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: SECRET, DEMO_PAGE: 'true' }).demoPage).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', DEMO_PAGE: 'false' }).demoPage).toBe(false);
  });

  it('captured .eml files are readable by the owner only (0600)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rn-eml-'));
    const mailer = createMailer({ kind: 'capture', dir }, { from: 'Shop <alerts@shop.example>' });
    await mailer.send({ to: 'jane@example.com', subject: 'Back in stock', html: '<p>Hi</p>', text: 'Hi' });
    await mailer.close();
    const [file] = await readdir(dir);
    expect(((await stat(join(dir, file!))).mode & 0o777).toString(8)).toBe('600');
  });
});

describe('/demo and CORS', () => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(() => deps.close());

  it('/demo is 404 where DEMO_PAGE is off, and loads the widget from the origin it was opened at', async () => {
    const off = createApp({ ...deps, config: { ...deps.config, demoPage: false } }, deps.services);
    expect((await off.request('/demo')).status).toBe(404);
    const on = createApp(
      { ...deps, config: { ...deps.config, demoPage: true, publicBaseUrl: 'http://localhost:3000' } },
      deps.services,
    );
    const html = await (await on.request('http://127.0.0.1:3000/demo')).text();
    expect(html).toContain('id="restock-widget" src="http://127.0.0.1:3000/widget.js"');
    const same = await (await on.request('http://localhost:3000/demo')).text();
    expect(same).toContain('id="restock-widget" src="http://localhost:3000/widget.js"');
  });

  it("in development PUBLIC_BASE_URL's origin and localhost/127.0.0.1 are allowed; in production only ALLOWED_ORIGINS", async () => {
    const probe = (config: Parameters<typeof shopperCors>[0]) => {
      const app = new Hono();
      app.use('*', shopperCors(config));
      app.get('/x', (c) => c.text('ok'));
      return async (origin: string) =>
        (await app.request('/x', { headers: { origin } })).headers.get('access-control-allow-origin');
    };
    const dev = probe({ env: 'development', publicBaseUrl: 'http://shop.test:8080', allowedOrigins: [] });
    expect(await dev('http://shop.test:8080')).toBe('http://shop.test:8080');
    expect(await dev('http://127.0.0.1:5173')).toBe('http://127.0.0.1:5173');
    expect(await dev('http://localhost:3000')).toBe('http://localhost:3000');
    expect(await dev('https://evil.example')).toBeNull();
    const prod = probe({
      env: 'production',
      publicBaseUrl: 'https://shop.example',
      allowedOrigins: ['https://www.shop.example'],
    });
    expect(await prod('http://localhost:3000')).toBeNull();
    expect(await prod('https://www.shop.example')).toBe('https://www.shop.example');
  });
});
