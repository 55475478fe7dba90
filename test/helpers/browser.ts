import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Flags from STACK-NOTES.md: without the background-networking ones Chromium dials out and is refused. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results');

type PageOptions = {
  /** CSS pixels; height defaults to 900. */
  width: number;
  height?: number;
  javaScriptEnabled?: boolean;
  locale?: string;
};

export type TestBrowser = {
  /** A page in its own context (cookies, JS setting and viewport are per page). */
  newPage(options: PageOptions): Promise<Page>;
  /** Full-page PNG into test-results/<name>.png; returns the path. */
  screenshot(page: Page, name: string): Promise<string>;
  /**
   * The same with the viewport stretched to the page first: Chromium paints a sandboxed
   * (cross-origin) frame only while it is inside the viewport, so a plain full-page shot shows it blank.
   */
  framedScreenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
};

/**
 * Real Chromium (`/usr/bin/chromium`) through playwright-core. `chromium.launch` gives every launch a
 * fresh temporary user-data dir (and deletes it on close), and every page gets its own context, so no
 * state leaks between pages or test files. Call `close()` in afterAll.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const contexts: BrowserContext[] = [];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const self: TestBrowser = {
    async newPage({ width, height = 900, javaScriptEnabled = true, locale }) {
      const context = await browser.newContext({
        viewport: { width, height },
        javaScriptEnabled,
        ...(locale ? { locale } : {}),
      });
      contexts.push(context);
      return context.newPage();
    },
    async screenshot(page, name) {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async framedScreenshot(page, name) {
      const size = page.viewportSize()!;
      const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
      await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
      await page.waitForTimeout(300);
      const path = await self.screenshot(page, name);
      await page.setViewportSize(size);
      return path;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
    },
  };
  return self;
}
