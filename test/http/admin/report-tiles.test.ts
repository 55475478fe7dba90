import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { createApp } from '../../../src/http/app.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { createTestDeps, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { createProduct, createRestockEvent, createSubscribers, uid } from '../../helpers/factories.js';
import { asToken, loginAs, type ConsoleSession } from './console-helpers.js';

/** Issue 20 point 9: the tiles equal the sums of the tables under them. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let session: ConsoleSession;

beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
  session = await loginAs(app, deps, 'marketing');
});
afterAll(() => deps.close());

const page = async (path: string) => (await app.request(path, { headers: { cookie: session.cookie } })).text();
const tile = (html: string, name: string) =>
  Number(new RegExp(`data-tile="${name}"><span[^>]*>[^<]*</span><b>(\\d+)</b>`).exec(html)?.[1]);
/** The numbers of one column (0-based) of the table with this id. */
function column(html: string, tableId: string, index: number): number[] {
  const body = new RegExp(`<table id="${tableId}"[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => {
    const cells = [...r[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, ''));
    return Number(cells[index]);
  });
}
const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function pending(sku: string, n: number) {
  for (let i = 0; i < n; i++) {
    const email = `pending-${uid()}@mail.example`;
    await rows(
      deps.db,
      sql`insert into subscriptions (email, email_normalized, sku, status, created_at) values (${email}, ${email}, ${sku}, 'pending', now())`,
    );
  }
}

describe('Demand', () => {
  it('waiting = confirmed and active; not-confirmed shown apart; each tile is its column’s sum (the issue’s 1 + 6 case)', async () => {
    const { sku: a } = await createProduct(deps, { quantity: 0, name: 'Lamp A' });
    await createSubscribers(deps, a, 1);
    await pending(a, 6);
    const { sku: b } = await createProduct(deps, { quantity: 0, name: 'Lamp B' });
    await createSubscribers(deps, b, 2);
    const html = await page('/admin/demand');
    const waiting = column(html, 'demand-table', 2);
    const notConfirmed = column(html, 'demand-table', 3);
    expect(tile(html, 'active')).toBe(3);
    expect(tile(html, 'pending')).toBe(6);
    expect(tile(html, 'active')).toBe(total(waiting));
    expect(tile(html, 'pending')).toBe(total(notConfirmed));
    expect(tile(html, 'notified')).toBe(total(column(html, 'demand-table', 4)));
    expect(tile(html, 'new7d')).toBe(total(column(html, 'demand-table', 5)));
    expect(tile(html, 'skus')).toBe(waiting.length);
    const api = (await (
      await app.request('/api/v1/admin/reports/demand?limit=1', { headers: asToken(MARKETING_TOKEN) })
    ).json()) as Json;
    expect(api.rows).toHaveLength(1);
    expect(api.totals).toMatchObject({ skus: 2, active: 3, pending: 6 }); // over every SKU, not one page
  });
});

describe('Deliveries', () => {
  it('the tiles add up the announcements listed, and the failures heading counts its list', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    await createSubscribers(deps, sku, 3);
    await createRestockEvent(deps, sku, 2);
    await runSendPass(deps, deps.services);
    const api = (await (
      await app.request('/api/v1/admin/reports/deliveries', { headers: asToken(MARKETING_TOKEN) })
    ).json()) as Json;
    for (const k of ['sent', 'queued', 'retry', 'failed', 'skipped']) {
      expect(api.summary[k], k).toBe(total(api.events.map((e: Json) => e[k])));
    }
    expect(api.summary.sent).toBe(2);
    expect(api.last7Days.total).toBeGreaterThanOrEqual(api.summary.total);
    const html = await page('/admin/deliveries');
    expect(tile(html, 'sent')).toBe(2);
    expect(html).toContain(`The tiles add up the ${api.events.length} announcements in the table.`);
    expect(html).toContain(`(${api.failures.length} shown, of every kind of email)`);
  });
});
