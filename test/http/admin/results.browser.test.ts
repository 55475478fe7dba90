import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSendPass } from '../../../src/jobs/send.js';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { INVENTORY_TOKEN } from '../../helpers/deps.js';
import { createProduct, createRestockEvent, createSubscribers, setQuantity, uid } from '../../helpers/factories.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { uniqueEmail } from '../../helpers/signup-fixtures.js';
import { startConsole, type RunningConsole } from './console-fixtures.js';

/**
 * /admin/results in real Chromium (issue 22 point 3): recovered revenue first, a chart per day and per
 * wave, a link from each SKU to its waves, and each auto-sized wave's reason. Data made the way the
 * shop makes it: restock waves sent over SMTP, clicks on the emails' /r/ links, orders over the API.
 */
const DAY = 86_400_000;
let sink: SmtpSink;
let run: RunningConsole;
let browser: TestBrowser;
const marketer = {
  email: uniqueEmail('results'),
  password: 'correct horse battery staple',
  role: 'marketing' as const,
};
const tag = uid();
let shirt: string;

async function buy(emails: string[], sku: string, currency: string, unitPrice: string) {
  const res = await fetch(`${run.base}/api/v1/orders/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(
      emails.map((email, i) => ({
        orderId: `${sku}-${tag}-${i}-${uid()}`,
        email,
        currency,
        lines: [{ sku, quantity: 1 + (i % 2), unitPrice }],
      })),
    ),
  });
  expect(((await res.json()) as { created: number }).created).toBe(emails.length);
}

async function click(email: string) {
  const m = sink.messages.find((x) => x.envelopeTo.includes(email));
  const href = /href="([^"]*\/r\/[^"]+)"/.exec(String(m?.parsed.html ?? ''))?.[1];
  const res = await fetch(href!, {
    redirect: 'manual',
    headers: { 'user-agent': 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Safari/605.1.15' },
  });
  expect(res.status).toBe(302);
}

beforeAll(async () => {
  sink = await startSmtpSink();
  run = await startConsole({
    smtpUrl: sink.url,
    env: { NOTIFY_PER_UNIT: 'auto', NOTIFY_AUTO_MIN_WAVE: '1', WAVE_INTERVAL_MINUTES: '60' },
    user: marketer,
  });
  const { deps } = run;
  const now = deps.clock.now().getTime();
  // Three days ago: the linen shirt comes back (10 units); wave 1 reaches 10 people, 3 buy.
  deps.clock.set(now - 3 * DAY);
  shirt = (await createProduct(deps, { quantity: 0, name: 'Linen shirt, sand', url: `${run.base}/demo` })).sku;
  const shirtFans = await createSubscribers(deps, shirt, 60);
  await createRestockEvent(deps, shirt, 10);
  await runSendPass(deps, deps.services);
  deps.clock.advance(30 * 60_000);
  for (const s of shirtFans.slice(0, 5)) await click(s.email);
  await buy(
    shirtFans.slice(0, 3).map((s) => s.email),
    shirt,
    'EUR',
    '49.00',
  );
  // An hour later: 6 units left, 3 of 10 bought → wave 2 = 20 people; 4 of them buy the next day.
  await setQuantity(deps, shirt, 6);
  deps.clock.advance(31 * 60_000);
  await runSendPass(deps, deps.services);
  deps.clock.advance(DAY);
  const wave2 = shirtFans.slice(10, 30);
  for (const s of wave2.slice(0, 7)) await click(s.email);
  await buy(
    wave2.slice(0, 4).map((s) => s.email),
    shirt,
    'EUR',
    '49.00',
  );
  // Yesterday: the mug (priced in yen) comes back, 5 units, 2 of 5 buy.
  deps.clock.advance(DAY);
  const mug = (await createProduct(deps, { quantity: 0, name: 'Stoneware mug', url: `${run.base}/demo` })).sku;
  const mugFans = await createSubscribers(deps, mug, 12);
  await createRestockEvent(deps, mug, 5);
  await runSendPass(deps, deps.services);
  deps.clock.advance(2 * 3600_000);
  await click(mugFans[0]!.email);
  await buy(
    mugFans.slice(0, 2).map((s) => s.email),
    mug,
    'JPY',
    '2490',
  );
  // Back to the present: sessions expire by this clock.
  deps.clock.set(now);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await run?.close();
  await sink?.close();
});

async function logIn(page: Page): Promise<void> {
  await page.goto(`${run.base}/admin/results`);
  await page.waitForURL(/\/admin\/login/);
  await page.getByLabel('Email').fill(marketer.email);
  await page.getByLabel('Password').fill(marketer.password);
  await Promise.all([page.waitForURL(/\/admin\/results/), page.getByRole('button', { name: 'Log in' }).click()]);
}

describe('/admin/results', () => {
  it('shows recovered revenue first, the charts, SKUs linking to their waves and why each wave had its size (1280 px)', async () => {
    const page = await browser.newPage({ width: 1280 });
    await logIn(page);
    const stats = page.locator('.stats .stat');
    expect(await stats.first().innerText()).toMatch(/Recovered revenue\s+EUR 490\.00\s+JPY 7470/);
    expect(await page.locator('figure svg[role=img]').count()).toBe(2);
    // Shirt: wave 1 3 orders (1, 2, 1 units) = 4 × 49, wave 2 4 orders (1, 2, 1, 2) = 6 × 49 → 10 units = EUR 490.00;
    // the mug's send pass a day later also started the shirt's wave 3 (26 people): 10 + 20 + 26 = 56 notified, 7 ÷ 56 = 12.5%.
    const row = page.locator('table').first().locator('tr', { hasText: shirt });
    expect((await row.innerText()).replace(/\s+/g, ' ')).toContain(
      `${shirt} Linen shirt, sand 56 12 7 10 EUR 490.00 12.5%`,
    );
    await browser.screenshot(page, 'results-1280');

    await Promise.all([page.waitForURL(/sku=/), row.getByRole('link', { name: shirt }).click()]);
    const waves = page.locator('#waves + .table-wrap');
    expect(await waves.innerText()).toContain(
      'wave 2: 20 people, because 3 of 10 bought in wave 1 (1 in 3.3), 6 units left',
    );
    expect(await waves.innerText()).toContain(
      'wave 3: 26 people, because 7 of 30 bought in waves 1–2 (1 in 4.3), 6 units left',
    );
    expect(await waves.innerText()).not.toContain('Stoneware mug');
    await browser.screenshot(page, 'results-sku-waves-1280');
  });

  it('reads on a phone (390 px): nothing wider than the screen but the tables, which scroll', async () => {
    const page = await browser.newPage({ width: 390 });
    await logIn(page);
    const overflow = await page.evaluate(`document.documentElement.scrollWidth - document.documentElement.clientWidth`);
    expect(overflow).toBe(0);
    await browser.screenshot(page, 'results-390');
  });
});
