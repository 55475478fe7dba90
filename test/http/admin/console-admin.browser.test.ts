import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { INVENTORY_TOKEN } from '../../helpers/deps.js';
import { uniqueEmail } from '../../helpers/signup-fixtures.js';
import { createProduct } from '../../helpers/factories.js';
import { startConsole, type RunningConsole } from './console-fixtures.js';

/**
 * The admin's side of the console in real Chromium against the app on a real port: users and API
 * tokens (made, used, revoked; closed to marketing), the backlog over real order lines, the hosted
 * pages' copy with its live preview, and the sample picture in the email preview.
 */
let run: RunningConsole;
let browser: TestBrowser;
const owner = { email: uniqueEmail('owner'), password: 'correct horse battery staple', role: 'admin' as const };

beforeAll(async () => {
  // Many logins by one account in one file: the per-account limit is not what this file tests.
  run = await startConsole({
    user: owner,
    env: { ADMIN_LOGIN_RATE_LIMIT_PER_ACCOUNT: '0', ADMIN_LOGIN_RATE_LIMIT_PER_IP: '0' },
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await run?.close();
});

async function logIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${run.base}/admin/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await Promise.all([page.waitForURL(/\/admin\/templates/), page.getByRole('button', { name: 'Log in' }).click()]);
}

const shot = (page: Page, name: string) => browser.framedScreenshot(page, name);

const fitsWidth = async (page: Page, width: number) =>
  expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(width);
const putStock = (sku: string, token: string) =>
  fetch(`${run.base}/api/v1/inventory/${sku}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{"quantity":2}',
  });

describe('users and API tokens (admin only)', () => {
  it('an admin creates a marketing user and a token in the console; the token works until revoked; the user cannot see or reach either page', async () => {
    const page = await browser.newPage({ width: 1280, height: 900 });
    await logIn(page, owner);
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.waitForURL(/\/admin\/users$/);

    // A marketing user with a generated password, shown once.
    const marketer = uniqueEmail('marketer');
    await page.getByLabel('Email address').fill(marketer);
    await page.getByLabel('Role', { exact: true }).first().selectOption('marketing');
    await page.getByRole('button', { name: 'Add user' }).click();
    const secret = page.locator('#user-secret');
    await secret.waitFor({ state: 'visible' });
    const password = (await page.locator('#user-secret-value').innerText()).trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(await secret.innerText()).toContain(marketer);
    // The list shows the new user at once, while the password is still on screen.
    await page.locator(`#users-table tr[data-user="${marketer}"]`).waitFor();
    await shot(page, 'console-users-created-1280');
    await page.locator('#user-secret [data-reload-link]').click();
    await page.locator(`tr[data-user="${marketer}"]`).waitFor();
    // The password is gone after the reload: it is nowhere in the page.
    expect(await page.content()).not.toContain(password);
    expect(await page.locator(`tr[data-user="${marketer}"]`).innerText()).toMatch(/marketing[\s\S]*active/);

    // An inventory token, shown once with a copy button; it updates stock.
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByLabel('Name').fill('Stock sync');
    await page.getByLabel('Scope').selectOption('inventory');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#token-secret').waitFor({ state: 'visible' });
    const token = (await page.locator('#token-secret-value').innerText()).trim();
    expect(token).toMatch(/^rnt_/);
    // The new row is in the list while the token is still shown (the list was refreshed in place).
    await page.locator('#tokens-table tr[data-token="Stock sync"]').waitFor();
    expect(await page.locator('#tokens-table').innerText()).not.toContain('No tokens made here yet');
    await shot(page, 'console-tokens-created-1280');
    const product = await createProduct(run.deps, { quantity: 0 });
    expect((await putStock(product.sku, token)).status).toBe(200);
    await page.locator('#token-secret [data-reload-link]').click();
    const row = page.locator('tr[data-token="Stock sync"]');
    await row.waitFor();
    expect(await row.innerText()).toContain(token.slice(0, 12));
    expect(await page.content()).not.toContain(token);
    expect(await row.innerText()).toMatch(/inventory[\s\S]*active/);
    await shot(page, 'console-tokens-1280');

    // Revoke with confirmation: the token is refused from then on.
    page.once('dialog', (d) => void d.accept());
    await Promise.all([page.waitForEvent('load'), row.getByRole('button', { name: /Revoke/ }).click()]);
    expect(await page.locator('tr[data-token="Stock sync"]').innerText()).toContain('revoked');
    expect((await putStock(product.sku, token)).status).toBe(401);

    // The marketing user logs in with the generated password: no Users / API tokens, and both pages say 403.
    const other = await browser.newPage({ width: 1280, height: 900 });
    await logIn(other, { email: marketer, password });
    const nav = await other.locator('nav[aria-label="Console"]').innerText();
    expect(nav).not.toContain('Users');
    expect(nav).not.toContain('API tokens');
    for (const path of ['/admin/users', '/admin/api-tokens']) {
      const res = await other.goto(`${run.base}${path}`);
      expect(res?.status(), path).toBe(403);
      expect(await other.locator('[role=alert]').innerText()).toMatch(/role does not allow/);
    }
    await shot(other, 'console-users-forbidden-1280');

    // Log the marketer out everywhere from the Users page: their next page is the login form.
    await page.goto(`${run.base}/admin/users`);
    const mine = page.locator(`tr[data-user="${marketer}"]`);
    await mine.getByText('Manage').click();
    page.once('dialog', (d) => void d.accept());
    await Promise.all([page.waitForEvent('load'), mine.getByRole('button', { name: 'Log out everywhere' }).click()]);
    await other.goto(`${run.base}/admin/templates`);
    await other.waitForURL(/\/admin\/login/);

    // The last admin cannot disable themself: the 409 message shows next to the button.
    const me = page.locator(`tr[data-user="${owner.email}"]`);
    await me.getByText('Manage').click();
    page.once('dialog', (d) => void d.accept());
    await me.getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => me.locator('[role=status]').last().innerText()).toMatch(/last enabled admin/);
  }, 120_000);

  it('users and tokens pages at 390 px: labelled, nothing wider than the phone', async () => {
    const page = await browser.newPage({ width: 390, height: 800 });
    await logIn(page, owner);
    for (const path of ['/admin/users', '/admin/api-tokens']) {
      await page.goto(`${run.base}${path}`);
      await fitsWidth(page, 390);
      await shot(page, `console-${path.split('/').pop()}-390`);
    }
    await page.goto(`${run.base}/admin/users`);
    await page.locator(`tr[data-user="${owner.email}"]`).getByText('Manage').click();
    await fitsWidth(page, 390);
    await shot(page, 'console-users-manage-390');
  }, 60_000);
});

describe('backlog with real order lines', () => {
  it('shows the lines created through the API, filters by SKU and status, exports CSV (1280 and 390)', async () => {
    const boots = await createProduct(run.deps, { quantity: 0, name: 'Alpine Boot', backorderable: true });
    const tent = await createProduct(run.deps, { quantity: 0, name: 'Storm Tent', backorderable: true });
    const post = (body: object) =>
      fetch(`${run.base}/api/v1/backorders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INVENTORY_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const [i, sku] of [boots.sku, boots.sku, tent.sku].entries()) {
      const res = await post({
        orderId: `B-${i + 100}`,
        sku,
        email: uniqueEmail('buyer'),
        quantity: i + 1,
        promisedDate: '2030-01-15',
        notify: false,
      });
      expect(res.status).toBe(201);
    }
    for (const width of [1280, 390]) {
      const page = await browser.newPage({ width, height: 900 });
      await logIn(page, owner);
      await page.goto(`${run.base}/admin/backlog`);
      const table = page.locator('#backlog-table');
      expect(await table.locator(`tr[data-sku="${boots.sku}"]`).innerText()).toMatch(/Alpine Boot[\s\S]*2/);
      expect(await table.locator(`tr[data-sku="${tent.sku}"]`).innerText()).toContain('Storm Tent');
      expect(await page.locator('.stats').innerText()).toMatch(/3/);
      await fitsWidth(page, width);
      await shot(page, `console-backlog-${width}`);

      // Filter by SKU: only that row.
      await page.getByLabel('SKU').fill(tent.sku);
      await Promise.all([page.waitForURL(/sku=/), page.getByRole('button', { name: 'Filter' }).click()]);
      expect(await table.locator('tbody tr[data-sku]').count()).toBe(1);
      // Status "fulfilled": none of these lines.
      await page.getByLabel('SKU').fill('');
      await page.getByLabel('Status').selectOption('fulfilled');
      await Promise.all([page.waitForURL(/status=fulfilled/), page.getByRole('button', { name: 'Filter' }).click()]);
      expect(await table.locator('tbody tr[data-sku]').count()).toBe(0);
      expect(await table.innerText()).toMatch(/No order lines/);

      // CSV: the link downloads the report as text/csv.
      await page.goto(`${run.base}/admin/backlog`);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Export CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('backlog.csv');
      const csv = await new Response((await download.createReadStream()) as unknown as ReadableStream).text();
      expect(csv.split('\n')[0]).toMatch(/sku/i);
      expect(csv).toContain(boots.sku);
      expect(csv).toContain(tent.sku);
    }
  }, 120_000);
});

describe('hosted pages copy with live preview', () => {
  it('a changed text shows in the preview as typed, and on the real page once published (1280 and 390)', async () => {
    const product = await createProduct(run.deps, { quantity: 0, name: 'Canyon Jacket' });
    const page = await browser.newPage({ width: 1280, height: 1000 });
    await logIn(page, owner);
    await page.goto(`${run.base}/admin/templates/pages/en`);
    const frame = page.frameLocator('#page-frame');
    await expect.poll(() => frame.locator('button[type=submit]').first().innerText()).toBe('Notify me');
    // The preview is the real signup page: the shop's layout, the sample product and its picture.
    expect(await frame.locator('h1').innerText()).toBe('Trail Runner 2');
    expect(
      await frame
        .locator('img.product-image')
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await page.locator('#page-frame').getAttribute('sandbox')).toBe('');

    const group = page.locator('details.copy-group', { has: page.locator('summary', { hasText: 'Signup page' }) });
    if ((await group.getAttribute('open')) === null) await group.locator('summary').click();
    await group.getByLabel('Button', { exact: true }).fill('Tell me first');
    await expect
      .poll(() => frame.locator('button[type=submit]').first().innerText(), { timeout: 10_000 })
      .toBe('Tell me first');
    await shot(page, 'console-page-copy-1280');

    // Another page: the unsubscribe page's words, from the picker.
    await page.getByLabel('Page', { exact: true }).selectOption('unsubscribe');
    await expect.poll(() => frame.locator('h1').innerText()).toBe('Unsubscribe?');
    await page.getByRole('button', { name: 'Mobile' }).click();
    expect(
      Number(await page.locator('#page-frame').evaluate((f) => (f as unknown as { clientWidth: number }).clientWidth)),
    ).toBeLessThanOrEqual(390);

    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.locator('#copy-status').innerText(), { timeout: 10_000 }).toMatch(/Published/);
    const live = await fetch(`${run.base}/signup/${product.sku}`);
    expect(await live.text()).toContain('Tell me first');

    const phone = await browser.newPage({ width: 390, height: 900 });
    await logIn(phone, owner);
    await phone.goto(`${run.base}/admin/templates/pages/en`);
    await expect
      .poll(() => phone.frameLocator('#page-frame').locator('button[type=submit]').first().innerText())
      .toBe('Tell me first');
    await fitsWidth(phone, 390);
    await shot(phone, 'console-page-copy-390');
  }, 120_000);

  it('the email preview shows the sample product picture the service serves', async () => {
    const page = await browser.newPage({ width: 1280, height: 1000 });
    await logIn(page, owner);
    await page.goto(`${run.base}/admin/templates/back-in-stock/en`);
    await page.locator('#editor[data-ready="true"]').waitFor();
    const img = page.frameLocator('#preview-frame').locator('img[src$="/assets/sample-product.png"]').first();
    await expect
      .poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await shot(page, 'console-editor-sample-image-1280');
  }, 60_000);
});
