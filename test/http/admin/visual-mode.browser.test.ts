import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../../src/domain/templates/get-template.js';
import { saveTemplateDraft } from '../../../src/domain/templates/save-template-draft.js';
import { findRegions } from '../../../src/http/admin/client/mjml-regions.js';
import { join } from 'node:path';
import { launchBrowser, SCREENSHOT_DIR, type TestBrowser } from '../../helpers/browser.js';
import { uniqueEmail } from '../../helpers/signup-fixtures.js';
import { startConsole, type RunningConsole } from './console-fixtures.js';

/**
 * The visual mode on templates shaped like public collections' (test/fixtures/mjml/), in real
 * Chromium as a marketer uses it: every block a named field, an edit of one character is one
 * character of the stored source (CRLF kept), a click in the preview picks the field, Enter in
 * "Sample data" saves nothing, the badges follow the server, a broken draft keeps the last preview.
 */
let app: RunningConsole;
let browser: TestBrowser;
const marketer = {
  email: uniqueEmail('marketer'),
  password: 'correct horse battery staple',
  role: 'marketing' as const,
};
const fixture = (name: string) => readFile(new URL(`../../fixtures/mjml/${name}`, import.meta.url), 'utf8');

beforeAll(async () => {
  app = await startConsole({ env: { DOUBLE_OPT_IN: 'false' }, user: marketer });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function openAs(page: Page, key: string): Promise<void> {
  await page.goto(`${app.base}/admin/login`);
  await page.getByLabel('Email').fill(marketer.email);
  await page.getByLabel('Password').fill(marketer.password);
  await Promise.all([page.waitForURL(/\/admin\/templates/), page.getByRole('button', { name: 'Log in' }).click()]);
  await page.goto(`${app.base}/admin/templates/${key}/en`);
  await page.locator('#editor[data-ready="true"]').waitFor();
}

const draft = (key: string, mjml: string) =>
  saveTemplateDraft(
    { ...app.deps, renderer: app.deps.services.renderer },
    {
      by: 'fixture',
      key,
      locale: 'en',
      body: {
        subject: 'New homes this week',
        mjml,
      },
    },
  );
const stored = async (key: string) => (await getTemplate(app.deps, { key, locale: 'en' })).mjml;

function changedChars(a: string, b: string): number {
  let pre = 0;
  while (pre < a.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  return Math.max(a.length, b.length) - pre - suf;
}

describe('visual mode on real-world template shapes', () => {
  it('real-estate shape: every block is a named field; one typed character is one stored character; a click in the preview picks the field', async () => {
    const source = await fixture('real-estate.mjml');
    await draft('back-in-stock', source);
    const page = await browser.newPage({ width: 1280, height: 900 });
    await openAs(page, 'back-in-stock');
    // Opens in the visual mode (a marketing user), one fieldset per block the parser finds.
    expect(await page.locator('#visual-form').isVisible()).toBe(true);
    const legends = await page.locator('#visual-form legend').allInnerTexts();
    expect(legends).toEqual(findRegions(source, (n) => n).map((r) => r.label));
    expect(legends).toContain('Button: Start searching');
    expect(legends).toContain('Image: listing-1.jpg');
    await expect
      .poll(() => page.frameLocator('#preview-frame').locator('body').innerText(), { timeout: 15_000 })
      .toContain('Find your next home');
    await browser.framedScreenshot(page, 'visual-mode-real-estate-1280');

    // Type one character at the end of a button label, save: the stored source differs by that character.
    const label = page
      .getByRole('group', { name: 'Button: Start searching' })
      .getByRole('textbox', { name: 'Button label' });
    await label.click();
    await page.keyboard.press('End');
    await page.keyboard.type('!');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 10_000 }).toMatch(/saved/);
    const after = await stored('back-in-stock');
    expect(changedChars(source, after)).toBe(1);
    expect(after).toContain('>Start searching!</mj-button');

    // A click on the listing's button text in the preview selects that button's field. The typed
    // character re-renders the preview (a new srcdoc): wait for that render, and click again while
    // the frame's new document is still being wired (a loaded machine widens that window).
    await expect
      .poll(() => page.frameLocator('#preview-frame').locator('body').innerText(), { timeout: 15_000 })
      .toContain('Start searching!');
    await expect
      .poll(
        async () => {
          await page.frameLocator('#preview-frame').getByText('2-bed flat with balcony').click();
          return page.evaluate(`document.activeElement?.closest('fieldset')?.querySelector('legend')?.textContent`);
        },
        { timeout: 15_000 },
      )
      .toBe('Text: 2-bed flat with balcony');

    // Editing a field far down the form: the preview stays in view beside it (sticky pane).
    const far = page.getByRole('group', { name: 'Social link: instagram' });
    await far.scrollIntoViewIfNeeded();
    const box = await page.locator('#preview-frame').boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(900);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'visual-mode-scrolled-1280.png') });

    // Enter in "Sample data" previews; it never saves.
    const puts: string[] = [];
    page.on('request', (r) => void (r.method() === 'PUT' ? puts.push(r.url()) : null));
    await page.getByLabel('Sample data').fill('no-such-sku');
    await page.getByLabel('Sample data').press('Enter');
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 10_000 }).toMatch(/No product/);
    expect(puts).toEqual([]);
    await page.getByLabel('Sample data').fill('');
  }, 120_000);

  it('CRLF newsletter: saving after a visual edit keeps every CRLF; saving with no change makes no version', async () => {
    const source = await fixture('newsletter-crlf.mjml');
    const { version } = await draft('still-interested', source);
    const page = await browser.newPage({ width: 1280, height: 900 });
    const blocked: string[] = [];
    page.on('console', (m) => void (m.text().includes('Content Security Policy') ? blocked.push(m.text()) : null));
    await openAs(page, 'still-interested');
    expect(await page.locator('#visual-form legend').allInnerTexts()).toContain('Menu link: Women');
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 15_000 }).toMatch(/Preview updated/);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.locator('#status').innerText()).toMatch(/No changes/);
    expect(await stored('still-interested')).toBe(source);

    const link = page.getByRole('group', { name: 'Menu link: Sale' }).getByRole('textbox', { name: 'Link text' });
    await link.click();
    await page.keyboard.press('End');
    await page.keyboard.type('!');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 10_000 }).toMatch(/saved/);
    const after = await stored('still-interested');
    expect(after.split('\r\n').length).toBe(source.split('\r\n').length);
    expect(changedChars(source, after)).toBe(1);
    expect((await getTemplate(app.deps, { key: 'still-interested', locale: 'en' })).version).toBe(version);
    await browser.framedScreenshot(page, 'visual-mode-newsletter-1280');
    // mj-font's https stylesheet is allowed by the preview's CSP (the closed network then fails to fetch it).
    expect(blocked).toEqual([]);
  }, 120_000);

  it('badges follow the server after publish; a draft that does not render keeps the last preview, dimmed, with its errors', async () => {
    const page = await browser.newPage({ width: 1280, height: 900 });
    await openAs(page, 'confirm');
    await expect
      .poll(() => page.frameLocator('#preview-frame').locator('body').innerText(), { timeout: 15_000 })
      .not.toBe('');
    const text = page.locator('#visual-form [role="textbox"]').first();
    await text.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Thanks.');
    await expect.poll(() => page.locator('#publish').getAttribute('aria-disabled'), { timeout: 10_000 }).toBe('false');
    await page.locator('#publish').click();
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 10_000 }).toMatch(/Published/);
    const published = (await getTemplate(app.deps, { key: 'confirm', locale: 'en' })).publishedVersion;
    expect(await page.locator('#version-badge').innerText()).toBe(`Published v${published}`);
    expect(await page.locator('#live-badge').isVisible()).toBe(false);

    // Break the source: an unknown tag inside the body. The last good preview stays, dimmed; the checks say why.
    await page.getByRole('button', { name: 'Source' }).click();
    const before = await page.locator('#preview-frame').getAttribute('srcdoc');
    // The end of the document is drawn once the cursor is there (CodeMirror draws only the lines in view).
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.locator('.cm-line', { hasText: '</mj-body>' }).first().click();
    await page.keyboard.press('Home');
    await page.keyboard.type('<mj-bogus>x</mj-bogus>');
    await expect
      .poll(() => page.locator('.preview-stage').getAttribute('class'), { timeout: 10_000 })
      .toContain('stale');
    expect(await page.locator('#preview-frame').getAttribute('srcdoc')).toBe(before);
    expect(await page.locator('#checks-summary').innerText()).toMatch(/error/);
    await browser.framedScreenshot(page, 'visual-mode-broken-1280');
  }, 120_000);

  it('390 px: the visual mode of the real-estate shape fits the phone', async () => {
    const page = await browser.newPage({ width: 390, height: 800 });
    await openAs(page, 'back-in-stock');
    await expect
      .poll(() => page.frameLocator('#preview-frame').locator('body').innerText(), { timeout: 15_000 })
      .toContain('Find your next home');
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await browser.framedScreenshot(page, 'visual-mode-real-estate-390');
  }, 120_000);
});
