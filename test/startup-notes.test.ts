import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { NO_TOKENS_MESSAGE } from '../src/http/auth.js';
import { startupWarnings, usefulUrls } from '../src/startup-notes.js';

const SECRET = 'startup-secret-0123456789-abcdefghijkl';

describe('start-up notes', () => {
  it('production without SMTP, tokens or public URL: one warning each', () => {
    const config = loadConfig({ NODE_ENV: 'production', APP_SECRET: SECRET, DATABASE_URL: 'postgres://db/x' });
    const warnings = startupWarnings(config, { appSecretGenerated: false });
    expect(warnings).toContain(NO_TOKENS_MESSAGE);
    expect(warnings.some((w) => w.startsWith('SMTP_URL is not set'))).toBe(true);
    expect(warnings.some((w) => w.startsWith('PUBLIC_BASE_URL is not set'))).toBe(true);
    expect(warnings.some((w) => w.startsWith('METRICS_TOKEN is not set'))).toBe(true);
    expect(warnings).toHaveLength(4);
    // No secret, token or password value in any of them.
    expect(warnings.join(' ')).not.toContain(SECRET);
    // Tokens made in the console count: then an empty API_TOKENS is not worth a warning.
    expect(startupWarnings(config, { appSecretGenerated: false, consoleTokens: true })).not.toContain(
      NO_TOKENS_MESSAGE,
    );
  });

  it('a complete production setup warns about nothing', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      APP_SECRET: SECRET,
      DATABASE_URL: 'postgres://db/x',
      SMTP_URL: 'smtp://mail:587',
      PUBLIC_BASE_URL: 'https://alerts.shop.example',
      API_TOKENS: 'inventory:0123456789abc',
      METRICS_TOKEN: 'metrics-token-0123',
    });
    expect(startupWarnings(config, { appSecretGenerated: false })).toEqual([]);
  });

  it('development: a generated APP_SECRET and ROLE=worker on PGlite are pointed out; capture mail is fine', () => {
    const config = loadConfig({ NODE_ENV: 'development', API_TOKENS: 'admin:0123456789abc', ROLE: 'worker' });
    const warnings = startupWarnings(config, { appSecretGenerated: true });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^APP_SECRET is not set/);
    expect(warnings[1]).toMatch(/^ROLE=worker with the embedded database/);
  });

  it('useful URLs: console and docs always, the demo signup page only in development', () => {
    expect(usefulUrls({ env: 'development' }, 'http://localhost:3000', 'DEMO-TEE-BLUE-M').map((u) => u.url)).toEqual([
      'http://localhost:3000/admin',
      'http://localhost:3000/docs',
      'http://localhost:3000/signup/DEMO-TEE-BLUE-M',
    ]);
    expect(usefulUrls({ env: 'production' }, 'http://localhost:3000', 'DEMO-TEE-BLUE-M')).toHaveLength(2);
  });
});
