import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows as dbRows } from '../../../src/db/client.js';
import { demandWebhookBody, summarizeDemand } from '../../../src/domain/demand/summarize-demand.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { createProduct, uid } from '../../helpers/factories.js';

/** Demand push (issue 12 point 10), the summary half: sizes and growth per SKU on an injected clock. */
let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(() => deps.close());

const HOUR = 3_600_000;
async function sub(
  sku: string,
  status: string,
  hoursAgo: number,
  extra: { unsubscribedHoursAgo?: number; notifiedHoursAgo?: number } = {},
) {
  const at = (h?: number) => (h === undefined ? null : new Date(deps.clock.now().getTime() - h * HOUR).toISOString());
  const email = `d-${uid()}@mail.example`;
  await dbRows(
    deps.db,
    sql`insert into subscriptions (email, email_normalized, sku, status, created_at, unsubscribed_at, notified_at)
    values (${email}, ${email}, ${sku}, ${status}::subscription_status, ${at(hoursAgo)}::timestamptz, ${at(extra.unsubscribedHoursAgo)}::timestamptz, ${at(extra.notifiedHoursAgo)}::timestamptz)`,
  );
}

describe('daily demand summary', () => {
  it('waitlist size and 24 h growth per SKU, largest first; quiet SKUs left out', async () => {
    const hot = (await createProduct(deps, { quantity: 0, name: 'Hot' })).sku;
    const calm = (await createProduct(deps, { quantity: 0, name: 'Calm' })).sku;
    await createProduct(deps, { quantity: 0, name: 'Nobody' });
    for (let i = 0; i < 3; i++) await sub(hot, 'active', 2); // joined today
    await sub(hot, 'active', 100); // waiting since earlier
    await sub(hot, 'pending', 1);
    await sub(hot, 'unsubscribed', 200, { unsubscribedHoursAgo: 5 });
    await sub(calm, 'active', 300);
    await sub(calm, 'notified', 300, { notifiedHoursAgo: 3 });
    await sub(calm, 'unsubscribed', 300, { unsubscribedHoursAgo: 30 }); // outside the window

    const summary = await summarizeDemand(deps);
    const mine = summary.skus.filter((s) => s.sku === hot || s.sku === calm);
    expect(mine).toEqual([
      { sku: hot, name: 'Hot', waiting: 4, pending: 1, joined: 4, left: 1, notified: 0, growth: 3, valueWaiting: null },
      {
        sku: calm,
        name: 'Calm',
        waiting: 1,
        pending: 0,
        joined: 0,
        left: 0,
        notified: 1,
        growth: -1,
        valueWaiting: null,
      },
    ]);
    expect(summary.skus.some((s) => s.name === 'Nobody')).toBe(false);
    expect(summary.windowEnd).toBe(deps.clock.now().toISOString());

    const body = demandWebhookBody(summary);
    expect(body).toMatchObject({
      id: 'demand-2026-03-01',
      type: 'demand.daily_summary',
      createdAt: summary.windowEnd,
      data: { date: '2026-03-01' },
    });
  });
});
