import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('reports every problem at once, each naming its variable', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://db/shop',
        SMTP_URL: 'http://mail',
        DOUBLE_OPT_IN: 'maybe',
        SIGNUP_RATE_LIMIT_PER_IP: '-1',
        API_TOKENS: 'inventory:short',
        PUBLIC_BASE_URL: 'not a url',
        ALLOWED_ORIGINS: 'https://shop.example/products',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'SMTP_URL',
      'DOUBLE_OPT_IN',
      'SIGNUP_RATE_LIMIT_PER_IP',
      'API_TOKENS',
      'PUBLIC_BASE_URL',
      'ALLOWED_ORIGINS',
    ]) {
      expect(
        problems.some((p) => p.startsWith(`${name}:`)),
        `${name} in ${problems.join(' | ')}`,
      ).toBe(true);
    }
    expect((error as ConfigError).message).toContain('Invalid configuration');
  });

  it('cross-field rules are reported together too', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DKIM_DOMAIN: 'shop.example' })).toThrowError(
      expect.objectContaining({
        problems: [
          expect.stringContaining('APP_SECRET'),
          expect.stringContaining('DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY'),
        ],
      }),
    );
  });

  it('an empty environment gives the documented defaults (nothing is read from process.env)', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.send).toMatchObject({ leaseSeconds: 60, maxAgeHours: 72 });
    expect(config.shutdownTimeoutSeconds).toBe(10);
    expect(config.allowedOrigins).toEqual([]);
    expect(loadConfig({ ALLOWED_ORIGINS: ' https://a.example/, http://b.example:8080 ' }).allowedOrigins).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.database).toEqual({ kind: 'pglite', dir: './data/pglite' });
    expect(config.mail).toEqual({ kind: 'capture', dir: './data/mailbox' });
    expect(config.signup).toEqual({
      doubleOptIn: true,
      confirmTokenTtlHours: 48,
      allowIpLiteralEmails: false,
      rateLimitPerIp: 10,
      rateLimitPerEmail: 3,
      dailyCapPerEmail: 10,
      trustProxy: false,
    });
    expect(config.restock.minQuantity).toBe(1);
  });

  it('parses booleans, numbers and the modes', () => {
    const config = loadConfig({
      DOUBLE_OPT_IN: 'false',
      TRUST_PROXY: 'yes',
      SIGNUP_RATE_LIMIT_PER_IP: '0',
      DATABASE_URL: 'postgres://u@db:5432/shop',
      SMTP_URL: 'smtp://mail:587',
      PUBLIC_BASE_URL: 'https://alerts.shop.example/',
    });
    expect(config.signup).toMatchObject({ doubleOptIn: false, trustProxy: true, rateLimitPerIp: 0 });
    expect(config.database.kind).toBe('postgres');
    expect(config.mail.kind).toBe('smtp');
    expect(config.publicBaseUrl).toBe('https://alerts.shop.example');
  });
});
