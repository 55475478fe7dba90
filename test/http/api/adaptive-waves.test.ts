import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { createApp } from '../../../src/http/app.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { createTestDeps, INVENTORY_TOKEN, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { createProduct, createRestockEvent, createSubscribers, uid } from '../../helpers/factories.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

/**
 * NOTIFY_PER_UNIT=auto end to end (issue 22 point 4): wave 1 from the configured ratio, wave 2 sized by
 * what wave 1's recipients bought (orders through the API), the reason shown in the results report.
 * CLICK_TRACKING=false here: the product link goes straight to the product.
 */
let deps: TestDeps;
let sink: SmtpSink;
let app: ReturnType<typeof createApp>;
const json = { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' };

beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({
    smtpUrl: sink.url,
    env: {
      NOTIFY_PER_UNIT: 'auto',
      NOTIFY_AUTO_START_PER_UNIT: '1',
      NOTIFY_AUTO_MIN_WAVE: '1',
      WAVE_INTERVAL_MINUTES: '60',
      CLICK_TRACKING: 'false',
    },
  });
  app = createApp(deps, deps.services);
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

describe('waves that learn', () => {
  it('wave 1 = 12 for 12 units; 3 of 12 buy; wave 2 = 9 units × 4 = 36, explained in the report', async () => {
    const tag = uid();
    const { sku } = await createProduct(deps, {
      quantity: 0,
      name: `Rain jacket ${tag}`,
      url: `https://shop.example/products/rain-${tag}`,
    });
    const subs = await createSubscribers(deps, sku, 100);
    await createRestockEvent(deps, sku, 12);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ waves: 1, waveQueued: 12, sent: 12 });

    // CLICK_TRACKING=false: the product link is the UTM-tagged product URL itself.
    const html = String(sink.messages.find((m) => m.envelopeTo.includes(subs[0]!.email))?.parsed.html);
    expect(html).toContain(`href="https://shop.example/products/rain-${tag}?utm_source&#x3D;restock-notifier`);
    expect(html).not.toContain('/r/');

    // Three of the twelve buy, through the bulk API; the shop reports its stock went down.
    deps.clock.advance(20 * 60_000);
    const bulk = await app.request('/api/v1/orders/bulk', {
      method: 'POST',
      headers: json,
      body: JSON.stringify(
        subs.slice(0, 3).map((s, i) => ({
          orderId: `jacket-${tag}-${i}`,
          email: s.email,
          currency: 'EUR',
          lines: [{ sku, quantity: 1, unitPrice: '89.00' }],
        })),
      ),
    });
    expect(await bulk.json()).toEqual({ received: 3, created: 3, existing: 0, rejected: 0, errors: [] });
    const put = await app.request(`/api/v1/inventory/${sku}`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ quantity: 9, reason: 'adjustment' }),
    });
    expect(put.status).toBe(200);

    deps.clock.advance(41 * 60_000);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ waves: 1, waveQueued: 36, sent: 36 });

    const report = (await (
      await app.request(`/api/v1/admin/reports/results?sku=${sku}`, {
        headers: { authorization: `Bearer ${MARKETING_TOKEN}` },
      })
    ).json()) as {
      waves: { waveNo: number; maxRecipients: number; notified: number; orders: number; explanation: string }[];
    };
    expect(
      report.waves.map(({ waveNo, maxRecipients, notified, orders, explanation }) => ({
        waveNo,
        maxRecipients,
        notified,
        orders,
        explanation,
      })),
    ).toEqual([
      {
        waveNo: 1,
        maxRecipients: 12,
        notified: 12,
        orders: 3,
        explanation: 'wave 1: 12 people, 1 per unit for 12 units left, no sales seen yet',
      },
      {
        waveNo: 2,
        maxRecipients: 36,
        notified: 36,
        orders: 0,
        explanation: 'wave 2: 36 people, because 3 of 12 bought in wave 1 (1 in 4), 9 units left',
      },
    ]);
    const statuses = await rows<{ status: string; n: number }>(
      deps.db,
      sql`select status::text, count(*)::int as n from subscriptions where sku = ${sku} group by status order by status`,
    );
    expect(statuses).toEqual([
      { status: 'active', n: 52 },
      { status: 'notified', n: 48 },
    ]);
  });
});
