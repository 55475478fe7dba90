import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows as dbRows } from '../../../src/db/client.js';
import { summarizeDemand } from '../../../src/domain/demand/summarize-demand.js';
import { recordOrder } from '../../../src/domain/orders/record-order-batch.js';
import { demandReport } from '../../../src/domain/reports/demand-report.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { createProduct, createSubscribers, uid } from '../../helpers/factories.js';

/** Issue 22 point 5: the value waiting per SKU = waiting units × the last known price, exact, per currency. */
let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(() => deps.close());

const order = (sku: string, currency: string, unitPrice: string, hoursAgo: number) =>
  recordOrder(deps, {
    order: {
      orderId: `o-${uid()}`,
      email: `buyer-${uid()}@mail.example`,
      currency,
      lines: [{ sku, quantity: 1, unitPrice }],
      placedAt: new Date(deps.clock.now().getTime() - hoursAgo * 3600_000).toISOString(),
    },
  });

describe('lost demand', () => {
  it('the demand report and the daily summary value the waitlist at the last price, never adding currencies', async () => {
    const { sku: jacket } = await createProduct(deps, { quantity: 0, name: 'Jacket' });
    const { sku: kettle } = await createProduct(deps, { quantity: 0, name: 'Kettle' });
    const { sku: mug } = await createProduct(deps, { quantity: 0, name: 'Mug' });
    await createSubscribers(deps, jacket, 3);
    await createSubscribers(deps, kettle, 7);
    await createSubscribers(deps, mug, 2);
    await order(jacket, 'EUR', '129.00', 48);
    await order(jacket, 'EUR', '119.95', 2); // the newer price wins
    await order(kettle, 'JPY', '4980', 5);
    // mug: never ordered → no value

    const report = await demandReport(deps, { limit: 100 });
    const by = Object.fromEntries(report.rows.map((r) => [r.sku, r.valueWaiting]));
    // 3 × 119.95 = 359.85 EUR; 7 × 4980 = 34860 JPY (no minor unit).
    expect(by[jacket]).toEqual({ currency: 'EUR', amount: '359.85', minor: '35985' });
    expect(by[kettle]).toEqual({ currency: 'JPY', amount: '34860', minor: '34860' });
    expect(by[mug]).toBeNull();

    const summary = await summarizeDemand(deps);
    expect(summary.skus.find((s) => s.sku === jacket)?.valueWaiting).toEqual({
      currency: 'EUR',
      amount: '359.85',
      minor: '35985',
    });
    expect(summary.totals.valueWaiting).toEqual([
      { currency: 'EUR', amount: '359.85', minor: '35985' },
      { currency: 'JPY', amount: '34860', minor: '34860' },
    ]);
    const waiting = await dbRows<{ n: number }>(
      deps.db,
      sql`select count(*)::int as n from subscriptions where status = 'active'`,
    );
    expect(summary.totals.waiting).toBe(waiting[0]!.n);
  });
});
