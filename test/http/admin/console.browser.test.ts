import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { ADMIN_TOKEN, INVENTORY_TOKEN } from '../../helpers/deps.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { uniqueEmail } from '../../helpers/signup-fixtures.js';
import { createProduct } from '../../helpers/factories.js';
import { startConsole, type RunningConsole } from './console-fixtures.js';

/**
 * The console as marketing staff use it, in real Chromium against the app on a real port, a real
 * database and a real SMTP sink: log in, edit back-in-stock, preview, break and fix the MJML,
 * publish, test-send, and see a restock use the new words; and a template's <script> runs nothing.
 */
let sink: SmtpSink;
let smtp: RunningConsole;
let capture: RunningConsole;
let browser: TestBrowser;
const editor = { email: uniqueEmail('marketer'), password: 'correct horse battery staple', role: 'marketing' as const };

beforeAll(async () => {
  sink = await startSmtpSink();
  // Test sends go to staff only (issue 21): the QA team's domain is allowed.
  const env = {
    DOUBLE_OPT_IN: 'false',
    RESTOCK_SETTLE_SECONDS: '0',
    NOTIFY_PER_UNIT: '0',
    TEST_SEND_ALLOWED: '@qa.example',
  };
  // One app sending through SMTP to the sink, one in capture mode for the dev mailbox.
  smtp = await startConsole({ smtpUrl: sink.url, env, user: editor });
  capture = await startConsole({ env, user: { ...editor, role: 'admin' } });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await smtp?.close();
  await capture?.close();
  await sink?.close();
});

async function logIn(page: Page, base = smtp.base): Promise<void> {
  await page.goto(`${base}/admin`);
  await page.waitForURL(/\/admin\/login/);
  await page.getByLabel('Email').fill(editor.email);
  await page.getByLabel('Password').fill(editor.password);
  await Promise.all([page.waitForURL(/\/admin\/templates/), page.getByRole('button', { name: 'Log in' }).click()]);
}

const shot = (page: Page, name: string) => browser.framedScreenshot(page, name);

const frameText = (page: Page) => page.frameLocator('#preview-frame').locator('body').innerText();

async function openEditor(page: Page, key: string, base = smtp.base): Promise<void> {
  await page.goto(`${base}/admin/templates/${key}/en`);
  await page.locator('#editor[data-ready="true"]').waitFor();
  // Marketing users open in the visual mode; these tests work on the source.
  if (await page.locator('#source-pane').isHidden()) await page.getByRole('button', { name: 'Source' }).click();
  await page.locator('.cm-content').waitFor();
}

/** Every visible form control has an accessible name (a <label>, aria-label or aria-labelledby). */
async function unlabelledFields(page: Page): Promise<string[]> {
  return (await page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden' && el.offsetParent !== null)
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML.slice(0, 120))`)) as string[];
}

describe('console in Chromium', () => {
  const base = () => smtp.base;
  it('edits, previews, checks, publishes and test-sends back-in-stock; a restock then sends the new headline; history diff and roll back', async () => {
    const page = await browser.newPage({ width: 1280, height: 1000 });
    await logIn(page);
    // The templates list shows the back-in-stock row (a locator alone is always truthy: count the rows).
    expect(await page.getByRole('row', { name: /Back in stock/ }).count()).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Edit Back in stock (English)' }).click();
    await page.locator('#editor[data-ready="true"]').waitFor();
    await expect.poll(() => frameText(page)).toContain('is back');

    // Visual mode: change the headline; the preview follows (server-side render after the debounce).
    const headline = 'Your Trail Runner is waiting';
    // A marketing user opens in the visual mode, blocks named after their content.
    expect(await page.getByRole('button', { name: 'Visual' }).getAttribute('aria-pressed')).toBe('true');
    const block = page.getByRole('group', { name: 'Text: Product name is back' });
    await block.getByLabel('Text').fill(headline);
    await expect.poll(() => frameText(page), { timeout: 10_000 }).toContain(headline);
    await page.getByRole('button', { name: 'Source' }).click();
    // The whole source as the editor holds it (CodeMirror draws only the lines in view).
    expect(await page.locator('#mjml').inputValue()).toContain(headline);

    // Break the MJML: an unknown tag on its own line. The check list and the lint gutter show its line.
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+Home');
    // Page down until the headline's line is drawn (the branded head puts it below the first screen).
    const headlineLine = page.locator('.cm-line', { hasText: headline });
    for (let i = 0; i < 30 && (await headlineLine.count()) === 0; i++) await page.keyboard.press('PageDown');
    await headlineLine.first().click();
    // End moves to the next wrap point of a wrapped line; pressed repeatedly it reaches the line's end.
    for (let i = 0; i < 6; i++) await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('<mj-bogus>x</mj-bogus>');
    // The line number as the editor's gutter shows it for the cursor's line (CodeMirror renders only
    // the lines in view, so counting .cm-line elements is not a line number).
    const brokenLine = Number(await page.locator('.cm-lineNumbers .cm-activeLineGutter').innerText());
    expect(brokenLine).toBeGreaterThan(1);
    const check = page.locator('#checks li', { hasText: `line ${brokenLine}` });
    await check.waitFor({ timeout: 10_000 }).catch(async (err) => {
      throw new Error(
        `no check at line ${brokenLine}; checks: ${await page.locator('#checks').innerText()}; status: ${await page.locator('#status').innerText()}; line: ${await page.locator('.cm-activeLine').innerText()}`,
        { cause: err },
      );
    });
    expect(await check.innerText()).toMatch(/error/i);
    await page.locator('.cm-lint-marker-error').first().waitFor();
    expect(await page.locator('#publish').getAttribute('aria-disabled')).toBe('true');
    await shot(page, 'console-editor-error-1280');
    // Clicking the check jumps to the line: the cursor is on it.
    await check.getByRole('button').click();
    expect(await page.locator('.cm-activeLine').innerText()).toContain('mj-bogus');

    // Fix it (undo the typing), publish.
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.locator('#publish').getAttribute('aria-disabled'), { timeout: 10_000 }).toBe('false');
    await page.locator('#publish').click();
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 10_000 }).toMatch(/Published/);
    await shot(page, 'console-editor-1280');

    // Test send to a typed (allowed) address: it arrives at the SMTP sink marked [TEST] with the new headline.
    const tester = uniqueEmail('tester').replace('@example.com', '@qa.example');
    await page.getByLabel('Send to').fill(tester);
    await page.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 10_000 }).toMatch(/Test sent/);
    await expect.poll(() => sink.messages.some((m) => m.envelopeTo.includes(tester)), { timeout: 10_000 }).toBe(true);
    const testMail = sink.messages.find((m) => m.envelopeTo.includes(tester))!;
    expect(testMail.parsed.subject).toMatch(/^\[TEST\]/);
    expect(testMail.parsed.text).toContain(headline);

    // A real restock afterwards: the subscriber's email has the new headline.
    const product = await createProduct(smtp.deps, { quantity: 0, name: 'Trail Runner 2' });
    const shopper = uniqueEmail('shopper');
    const signup = await fetch(`${base()}/api/v1/signups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: shopper, sku: product.sku }),
    });
    expect(signup.status).toBe(201);
    const put = await fetch(`${base()}/api/v1/inventory/${product.sku}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INVENTORY_TOKEN}` },
      body: JSON.stringify({ quantity: 5, reason: 'restock' }),
    });
    expect(put.status).toBe(200);
    for (const job of ['restock-scan', 'restock-scan', 'send']) {
      smtp.deps.clock.advance(61_000);
      const run = await fetch(`${base()}/api/v1/admin/jobs/${job}/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(run.status).toBe(200);
    }
    await expect.poll(() => sink.messages.some((m) => m.envelopeTo.includes(shopper)), { timeout: 15_000 }).toBe(true);
    const restockMail = sink.messages.find((m) => m.envelopeTo.includes(shopper))!;
    expect(restockMail.parsed.subject).not.toMatch(/\[TEST\]/);
    expect(restockMail.parsed.text).toContain(headline);

    // History: the first version against the published one shows the headline as the change; rolling
    // back publishes a copy of it.
    await page.getByRole('link', { name: 'History' }).click();
    await page
      .getByRole('link', { name: /View & diff/ })
      .last()
      .click();
    const diff = page.locator('pre.diff').first();
    expect(await diff.locator('.del').innerText()).toContain(headline);
    await shot(page, 'console-history-1280');
    page.once('dialog', (d) => void d.accept());
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Roll back to v1' }).click()]);
    expect(await page.locator('tbody tr').first().innerText()).toMatch(/copy of v1[\s\S]*live/);
  }, 120_000);

  it('a <script> in a template runs nothing in the console: sandboxed frame without allow-scripts, CSP without script-src', async () => {
    const page = await browser.newPage({ width: 1280, height: 900 });
    await logIn(page);
    await openEditor(page, 'confirm');
    const title = await page.title();
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    // Inserted inside the last mj-text would be cleaner, but mj-raw passes markup through verbatim.
    const lines = await page.locator('.cm-line').allInnerTexts();
    const bodyClose = lines.findIndex((l) => l.includes('</mj-body>'));
    await page.locator('.cm-line').nth(bodyClose).click();
    await page.keyboard.press('Home');
    await page.keyboard.type(
      '<mj-raw><script>window.parent.document.title="pwned";window.top.pwned=1;document.body.setAttribute("data-ran","1")</script></mj-raw>\n',
    );
    await expect
      .poll(() => page.locator('#preview-frame').getAttribute('srcdoc'), { timeout: 10_000 })
      .toContain('pwned');
    // allow-same-origin (and never allow-scripts) lets the console's own script see a click in the preview.
    const sandbox = await page.locator('#preview-frame').getAttribute('sandbox');
    expect(sandbox).toBe('allow-same-origin');
    expect(sandbox).not.toContain('allow-scripts');
    expect(await page.title()).toBe(title);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.frameLocator('#preview-frame').locator('body').getAttribute('data-ran')).toBeNull();
  }, 60_000);

  it('demand report, editor and mailbox at 1280 and 390 px (screenshots); a test send lands in the dev mailbox', async () => {
    const product = await createProduct(smtp.deps, { quantity: 0, name: 'Merino Beanie' });
    for (let i = 0; i < 3; i++) {
      await fetch(`${base()}/api/v1/signups`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: uniqueEmail('fan'), sku: product.sku }),
      });
    }
    for (const width of [1280, 390]) {
      const page = await browser.newPage({ width, height: 900 });
      await logIn(page);
      await page.goto(`${base()}/admin/demand`);
      expect(await page.locator('#demand-table').innerText()).toContain(product.sku);
      await shot(page, `console-demand-${width}`);
      await openEditor(page, 'back-in-stock');
      await expect.poll(() => frameText(page)).toContain('is back');
      await shot(page, `console-editor-${width}`);
      // Capture mode: a test send appears in the dev mailbox; open it (HTML sandboxed, text, headers).
      await logIn(page, capture.base);
      await openEditor(page, 'back-in-stock', capture.base);
      await page.getByRole('button', { name: 'Send test' }).click();
      await expect.poll(() => page.locator('#status').innerText(), { timeout: 10_000 }).toMatch(/Test sent/);
      await page.goto(`${capture.base}/admin/mailbox`);
      await shot(page, `console-mailbox-${width}`);
      await page
        .getByRole('link', { name: /\[TEST\]/ })
        .first()
        .click();
      expect(await page.locator('iframe[title="Email HTML"]').getAttribute('sandbox')).toBe('');
      expect(await page.locator('.preview-text').innerText()).toContain('is back');
      await shot(page, `console-mailbox-message-${width}`);
    }
  }, 180_000);

  it('every page (admin) at 390 px: fields labelled, nothing wider than the phone, no script errors', async () => {
    const page = await browser.newPage({ width: 390, height: 800 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await logIn(page, capture.base);
    const paths = [
      '/admin/templates',
      '/admin/templates/back-in-stock/en',
      '/admin/templates/back-in-stock/en/history',
      '/admin/branding',
      '/admin/demand',
      '/admin/deliveries',
      '/admin/backlog',
      `/admin/subscribers?email=${encodeURIComponent(editor.email)}`,
      '/admin/suppressions',
      '/admin/mailbox',
      '/admin/users',
      '/admin/api-tokens',
      '/admin/templates/pages/en',
    ];
    for (const path of paths) {
      const res = await page.goto(`${capture.base}${path}`);
      expect(res?.status(), path).toBe(200);
      await page.locator('main').waitFor();
      expect(await unlabelledFields(page), path).toEqual([]);
      expect(Number(await page.evaluate('document.documentElement.scrollWidth')), path).toBeLessThanOrEqual(390);
    }
    await page.goto(`${capture.base}/admin/templates/back-in-stock/en`);
    await page.locator('#editor[data-ready="true"]').waitFor();
    await page.getByRole('button', { name: 'Visual' }).click();
    expect(await unlabelledFields(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
