import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct } from '../../helpers/factories.js';
import { eq } from 'drizzle-orm';
import { apiTokens } from '../../../src/db/schema/index.js';
import { createApp } from '../../../src/http/app.js';
import { ADMIN_TOKEN, createTestDeps, INVENTORY_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { asSession, asToken, loginAs, type ConsoleSession } from './console-helpers.js';

/**
 * Console-made API tokens: shown once, stored as a hash, accepted by the bearer check beside
 * API_TOKENS with their scope enforced, revoked → 401, last use recorded at most once a minute.
 */
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let admin: ConsoleSession;

type Created = {
  apiToken: {
    id: number;
    name: string;
    scope: string;
    prefix: string;
    lastUsedAt: string | null;
    revokedAt: string | null;
  };
  token: string;
};

beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
  admin = await loginAs(app, deps, 'admin');
});
afterAll(() => deps.close());

async function create(name: string, scope: string): Promise<Created> {
  const res = await app.request('/api/v1/admin/api-tokens', {
    method: 'POST',
    headers: asSession(admin),
    body: JSON.stringify({ name, scope }),
  });
  expect(res.status).toBe(201);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as Created;
}
const putStock = (sku: string, token: string) =>
  app.request(`/api/v1/inventory/${sku}`, {
    method: 'PUT',
    headers: asToken(token),
    body: JSON.stringify({ quantity: 3 }),
  });

describe('API tokens made in the console', () => {
  it('create → use on an inventory route → revoke → 401; the plaintext is never answered again', async () => {
    const { apiToken, token } = await create('Shopify stock sync', 'inventory');
    expect(token).toMatch(/^rnt_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({
      name: 'Shopify stock sync',
      scope: 'inventory',
      prefix: token.slice(0, 12),
      lastUsedAt: null,
      revokedAt: null,
    });
    // Only the sha256 is stored.
    const [row] = await deps.db.select().from(apiTokens).where(eq(apiTokens.id, apiToken.id));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.createdBy).toBe(admin.email);

    const product = await createProduct(deps, { quantity: 0 });
    expect((await putStock(product.sku, token)).status).toBe(200);

    const list = await app.request('/api/v1/admin/api-tokens', { headers: asSession(admin) });
    const body = await list.text();
    expect(body).toContain('Shopify stock sync');
    expect(body).not.toContain(token);
    expect(body).not.toContain(row!.tokenHash);

    const revoked = await app.request(`/api/v1/admin/api-tokens/${apiToken.id}`, {
      method: 'DELETE',
      headers: asSession(admin),
    });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as Created).apiToken.revokedAt).toBeTruthy();
    const refused = await putStock(product.sku, token);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
    // Revoking again answers it unchanged; an unknown id is a 404.
    expect(
      (await app.request(`/api/v1/admin/api-tokens/${apiToken.id}`, { method: 'DELETE', headers: asSession(admin) }))
        .status,
    ).toBe(200);
    expect(
      (await app.request('/api/v1/admin/api-tokens/999999', { method: 'DELETE', headers: asSession(admin) })).status,
    ).toBe(404);
  });

  it('enforces the scope: inventory is refused on the admin API, marketing on admin-only routes, admin passes', async () => {
    const inventory = (await create('inv', 'inventory')).token;
    const marketing = (await create('mkt', 'marketing')).token;
    const adminToken = (await create('ops', 'admin')).token;
    const product = await createProduct(deps, { quantity: 0 });
    expect((await app.request('/api/v1/admin/templates', { headers: asToken(inventory) })).status).toBe(403);
    expect((await app.request('/api/v1/admin/templates', { headers: asToken(marketing) })).status).toBe(200);
    expect((await app.request('/api/v1/admin/api-tokens', { headers: asToken(marketing) })).status).toBe(403);
    expect((await app.request('/api/v1/admin/users', { headers: asToken(marketing) })).status).toBe(403);
    expect((await putStock(product.sku, marketing)).status).toBe(403);
    expect((await app.request('/api/v1/admin/api-tokens', { headers: asToken(adminToken) })).status).toBe(200);
    const job = await app.request('/api/v1/admin/jobs/restock-scan/run', {
      method: 'POST',
      headers: asToken(adminToken),
    });
    expect(job.status).toBe(200);
    // A token made with a token names its maker as that token.
    const made = await app.request('/api/v1/admin/api-tokens', {
      method: 'POST',
      headers: asToken(adminToken),
      body: JSON.stringify({ name: 'from a script', scope: 'inventory' }),
    });
    expect(((await made.json()) as Created).apiToken).toMatchObject({ name: 'from a script' });
    const [row] = await deps.db.select().from(apiTokens).where(eq(apiTokens.name, 'from a script'));
    expect(row!.createdBy).toBe('token:ops');
  });

  it('an unknown token that looks like one, a tampered one, and bad input are refused', async () => {
    const { token } = await create('real', 'inventory');
    const product = await createProduct(deps, { quantity: 0 });
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await putStock(product.sku, tampered)).status).toBe(401);
    expect((await putStock(product.sku, `rnt_${'x'.repeat(43)}`)).status).toBe(401);
    for (const body of [{ name: '', scope: 'inventory' }, { name: 'x', scope: 'root' }, { scope: 'admin' }]) {
      const res = await app.request('/api/v1/admin/api-tokens', {
        method: 'POST',
        headers: asSession(admin),
        body: JSON.stringify(body),
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('records the last use at most once a minute (no write per request)', async () => {
    const { apiToken, token } = await create('sync', 'inventory');
    const product = await createProduct(deps, { quantity: 0 });
    const lastUsed = async () =>
      (await deps.db.select().from(apiTokens).where(eq(apiTokens.id, apiToken.id)))[0]!.lastUsedAt?.toISOString();
    await putStock(product.sku, token);
    const first = await lastUsed();
    expect(first).toBe(deps.clock.now().toISOString());
    deps.clock.advance(30_000);
    await putStock(product.sku, token);
    expect(await lastUsed()).toBe(first);
    deps.clock.advance(31_000);
    await putStock(product.sku, token);
    expect(await lastUsed()).toBe(deps.clock.now().toISOString());
  });

  it('API_TOKENS keeps working beside them', async () => {
    const product = await createProduct(deps, { quantity: 0 });
    expect((await putStock(product.sku, INVENTORY_TOKEN)).status).toBe(200);
    expect((await app.request('/api/v1/admin/api-tokens', { headers: asToken(ADMIN_TOKEN) })).status).toBe(200);
  });
});

describe('with API_TOKENS empty', () => {
  it('a console-made token is accepted; before one exists the 401 says how to get one', async () => {
    const bare = await createTestDeps({ env: { API_TOKENS: '' } });
    try {
      const bareApp = createApp(bare, bare.services);
      const product = await createProduct(bare, { quantity: 0 });
      const none = await bareApp.request(`/api/v1/inventory/${product.sku}`, {
        method: 'PUT',
        headers: asToken('whatever-token'),
        body: '{"quantity":1}',
      });
      expect(none.status).toBe(401);
      expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(
        /No API tokens are configured[\s\S]*\/admin\/api-tokens/,
      );
      const owner = await loginAs(bareApp, bare, 'admin');
      const made = await bareApp.request('/api/v1/admin/api-tokens', {
        method: 'POST',
        headers: asSession(owner),
        body: JSON.stringify({ name: 'only one', scope: 'inventory' }),
      });
      const { token } = (await made.json()) as Created;
      expect(
        (
          await bareApp.request(`/api/v1/inventory/${product.sku}`, {
            method: 'PUT',
            headers: asToken(token),
            body: '{"quantity":1}',
          })
        ).status,
      ).toBe(200);
      const wrong = await bareApp.request(`/api/v1/inventory/${product.sku}`, {
        method: 'PUT',
        headers: asToken('whatever-token'),
        body: '{"quantity":1}',
      });
      expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe(
        'The bearer token is not valid.',
      );
    } finally {
      await bare.close();
    }
  });
});
