import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { subscriptions } from '../../../src/db/schema/index.js';
import { createApp } from '../../../src/http/app.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { ADMIN_TOKEN, createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { uniqueEmail } from '../../helpers/signup-fixtures.js';
import { createProduct } from '../../helpers/factories.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';

/** Issue 12 point 10: DEMAND_WEBHOOK_URL receives a daily signed summary, retried through the ledger. */
const SECRET = 'demand-signing-secret-0123';
let deps: TestDeps;
let hooks: WebhookReceiver;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  hooks = await startWebhookReceiver();
  deps = await createTestDeps({
    env: { DEMAND_WEBHOOK_URL: hooks.url, WEBHOOK_SIGNING_SECRET: SECRET, RETRY_BASE_SECONDS: '60' },
  });
  app = createApp(deps, deps.services);
});
afterAll(async () => {
  await deps.close();
  await hooks.close();
});

const runJob = async () => {
  const res = await app.request('/api/v1/admin/jobs/demand-push/run', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { summary: Record<string, unknown> }).summary;
};

describe('demand push', () => {
  it('config: DEMAND_WEBHOOK_URL needs WEBHOOK_SIGNING_SECRET', () => {
    expect(() => loadConfig({ DEMAND_WEBHOOK_URL: 'https://erp.example/hooks' })).toThrow(/WEBHOOK_SIGNING_SECRET/);
    expect(
      loadConfig({ DEMAND_WEBHOOK_URL: 'https://erp.example/hooks', WEBHOOK_SIGNING_SECRET: SECRET }).demandWebhook
        ?.url,
    ).toBe('https://erp.example/hooks');
  });

  it('POSTs one signed demand.daily_summary per day with the real waitlist numbers, retried until a 2xx', async () => {
    const product = await createProduct(deps, { name: 'Wool socks' });
    const at = new Date(deps.clock.now().getTime() - 3_600_000); // joined an hour ago, inside the 24 h window
    const rowsToAdd = [
      ...[0, 1, 2].map((i) => ({ status: 'active' as const, email: uniqueEmail(`a${i}`) })),
      { status: 'pending' as const, email: uniqueEmail('p') },
    ].map((r) => ({ ...r, emailNormalized: r.email, sku: product.sku, createdAt: at }));
    await deps.db.insert(subscriptions).values(rowsToAdd);

    hooks.respondWith(503);
    expect(await runJob()).toMatchObject({ queued: true });
    // The job wakes the sender's transactional lane; let that pass finish.
    await deps.services.idle();
    await runSendPass(deps, deps.services, { plan: false });
    expect(hooks.received).toHaveLength(1);

    // The endpoint recovers; the retry (after the ledger's backoff) delivers the same bytes.
    hooks.respondWith(204);
    deps.clock.advance(10 * 60_000);
    await runSendPass(deps, deps.services, { plan: false });
    expect(hooks.received).toHaveLength(2);
    const [first, second] = hooks.received;
    expect(second!.raw).toBe(first!.raw);
    const signature = `sha256=${createHmac('sha256', SECRET).update(second!.raw).digest('hex')}`;
    expect(second!.headers['x-restock-signature']).toBe(signature);
    const body = second!.json as {
      id: string;
      type: string;
      data: { skus: { sku: string; waiting: number; pending: number; joined: number }[] };
    };
    expect(body.type).toBe('demand.daily_summary');
    expect(body.id).toBe(`demand-${deps.clock.now().toISOString().slice(0, 10)}`);
    const socks = body.data.skus.find((s) => s.sku === product.sku);
    expect(socks).toMatchObject({ waiting: 3, pending: 1, joined: 4 });

    // Counted in /metrics as outbound webhook attempts: one retry (503), one delivery.
    const exposition = await deps.services.metrics.registry.metrics();
    expect(exposition).toMatch(/restock_webhook_deliveries_total\{type="demand-summary",outcome="retry"\} 1/);
    expect(exposition).toMatch(/restock_webhook_deliveries_total\{type="demand-summary",outcome="sent"\} 1/);

    // A second run the same day queues nothing new.
    const again = await runJob();
    expect(again).toMatchObject({ queued: false });
    await runSendPass(deps, deps.services, { plan: false });
    expect(hooks.received).toHaveLength(2);
  });
});
