import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTemplateFiles, type TemplateFile } from '../../src/domain/templates/read-template-files.js';
import { createRenderer, type RenderedEmail } from '../../src/mail/render.js';

// Every shipped email × locale, rendered with its .json examples, checked as text and looked at in
// real Chromium at desktop (600 px) and phone (390 px) widths. Screenshots: test-results/emails/.

const shotsDir = join(process.cwd(), 'test-results', 'emails');
const renderer = createRenderer();
let files: TemplateFile[];
let browser: Browser;

beforeAll(async () => {
  files = await readTemplateFiles();
  await mkdir(shotsDir, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // launch() gives every run a fresh temporary profile.
  });
}, 60_000);
afterAll(() => browser?.close());

const file = (key: string, locale: string) => {
  const f = files.find((x) => x.key === key && x.locale === locale);
  if (!f) throw new Error(`no template ${key}.${locale}`);
  return f;
};
const examples = (f: TemplateFile) => Object.fromEntries(Object.entries(f.variables).map(([k, v]) => [k, v.example]));

async function render(key: string, locale: string, overrides: Record<string, unknown> = {}): Promise<RenderedEmail> {
  const f = file(key, locale);
  const compiled = await renderer.compile({ subject: f.subject, mjml: f.mjml });
  return renderer.render(compiled, { ...examples(f), ...overrides });
}

/** Loads the HTML in Chromium (images answered locally, nothing else leaves), screenshots it, returns the visible text. */
async function look(html: string, name: string): Promise<string> {
  const page = await browser.newPage();
  try {
    await page.route('**/*', (route) =>
      route.request().resourceType() === 'image'
        ? route.fulfill({
            contentType: 'image/svg+xml',
            body: '<svg xmlns="http://www.w3.org/2000/svg" width="560" height="400"><rect width="560" height="400" fill="#d1d5db"/><circle cx="280" cy="200" r="90" fill="#6b7280"/></svg>',
          })
        : route.abort(),
    );
    let text = '';
    for (const width of [600, 390]) {
      await page.setViewportSize({ width, height: 300 });
      await page.setContent(html, { waitUntil: 'load' });
      await page.screenshot({ path: join(shotsDir, `${name}.${width}.png`), fullPage: true });
      // Nothing may stick out sideways on a phone.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      text = await page.locator('body').innerText();
    }
    return text;
  } finally {
    await page.close();
  }
}

/** Every `{{name}}` / `{{#if name}}` / helper argument a template reads (Handlebars AST walk). */
function usedVariables(source: string): Set<string> {
  const used = new Set<string>();
  const helpers = new Set(['if', 'unless', 'each', 'with', 'formatDate']);
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; original?: string; parts?: string[] };
    if (n.type === 'PathExpression' && n.parts?.[0] && !helpers.has(n.original ?? '')) used.add(n.parts[0]);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  visit(Handlebars.parse(source));
  return used;
}

const germanMonths = /Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember/;
const englishMonths = /January|February|March|May|June|July|October|December/;

describe('shipped email templates', () => {
  it('every email exists in en and de, and each .json declares exactly the same variables for both', () => {
    for (const key of ['confirm', 'back-in-stock', 'eta-revised']) {
      expect(Object.keys(file(key, 'de').variables).sort()).toEqual(Object.keys(file(key, 'en').variables).sort());
    }
  });

  it('every variable a template uses is declared with an example; footerNote is gone', () => {
    for (const f of files) {
      const used = usedVariables(`${f.subject}\n${f.mjml}`);
      const declared = new Set(Object.keys(f.variables));
      expect(
        [...used].filter((v) => !declared.has(v)),
        `${f.key}.${f.locale}`,
      ).toEqual([]);
      for (const [name, v] of Object.entries(f.variables))
        expect(v.example, `${f.key}.${f.locale}: ${name}`).toBeDefined();
      expect(declared.has('footerNote') || used.has('footerNote')).toBe(false);
      expect(f.mjml).toMatch(f.locale === 'de' ? /Sie erhalten diese E-Mail/ : /You get this email/);
    }
  });

  it('the restock email for a product without an image has no <img>; with one it has a described image', async () => {
    for (const locale of ['en', 'de']) {
      const without = await render('back-in-stock', locale, { imageUrl: '' });
      expect(without.html).not.toMatch(/<img/i);
      expect(without.html).not.toContain('{{');
      await look(without.html, `back-in-stock.${locale}.no-image`);
      const withImage = await render('back-in-stock', locale, { imageUrl: 'https://shop.example/img/x.jpg' });
      expect(withImage.html.match(/<img[^>]*>/g)).toEqual([expect.stringMatching(/alt="Trail Runner 2"/)]);
    }
  });

  it('the restock email never shows the UTM-tagged URL as text; the plain-text part has the link once', async () => {
    for (const locale of ['en', 'de']) {
      const m = await render('back-in-stock', locale, { footerNote: 'OLD FOOTER NOTE' });
      const visible = await look(m.html, `back-in-stock.${locale}`);
      expect(visible).not.toMatch(/utm_|https?:\/\//);
      expect(visible).toContain('Trail Runner 2');
      expect(visible).toMatch(locale === 'de' ? /Jetzt ansehen/ : /Shop now/);
      expect(m.text.split('utm_source=').length - 1).toBe(1);
      // A sender that still passes footerNote does not get it shown twice (or at all): the note is in the template.
      expect(m.html + m.text).not.toContain('OLD FOOTER NOTE');
    }
  });

  it('eta-revised shows the old and the new date in the email language, and the reason', async () => {
    const en = await render('eta-revised', 'en');
    const enText = await look(en.html, 'eta-revised.en');
    expect(enText).toMatch(/Was:\s*December 15, 2026\s*Now:\s*January 20, 2027/);
    expect(enText).toContain('Reason: Supplier delay');
    expect(en.text).toMatch(/Was: December 15, 2026\s+Now: January 20, 2027/);
    expect(en.subject).toBe('New expected date for Trail Runner 2');

    const de = await render('eta-revised', 'de');
    const deText = await look(de.html, 'eta-revised.de');
    expect(deText).toMatch(/Bisher:\s*15\. Dezember 2026\s*Neu:\s*20\. Januar 2027/);
    expect(deText).toContain('Grund: Lieferverzögerung beim Hersteller');
    expect(deText).not.toMatch(englishMonths);
    expect(de.text).not.toMatch(englishMonths);
    expect(de.subject).toBe('Neuer Liefertermin für Trail Runner 2');
  });

  it('eta-revised without an old date or a reason shows only the new date and no empty reason line', async () => {
    for (const [locale, expected, reasonWord] of [
      ['en', /Now expected:\s*January 20, 2027/, 'Reason'],
      ['de', /Neuer Termin:\s*20\. Januar 2027/, 'Grund'],
    ] as const) {
      const m = await render('eta-revised', locale, { oldEta: null, reason: null });
      const visible = await look(m.html, `eta-revised.${locale}.no-old-date`);
      expect(visible).toMatch(expected);
      expect(visible).not.toContain(reasonWord);
      expect(visible).not.toMatch(/2026/);
    }
  });

  it('a date follows the template language even when the sender passes another locale; de-AT may refine de', async () => {
    expect((await render('eta-revised', 'en', { locale: 'de' })).text).toContain('January 20, 2027');
    expect((await render('eta-revised', 'de', { locale: 'en' })).text).toContain('20. Januar 2027');
    expect((await render('eta-revised', 'de', { locale: 'de-AT' })).text).toContain('20. Jänner 2027');
    expect((await render('eta-revised', 'de', { locale: undefined })).text).toContain('20. Januar 2027');
  });

  it('the confirmation reads well in both languages; the German one is German throughout', async () => {
    const en = await render('confirm', 'en');
    const enText = await look(en.html, 'confirm.en');
    expect(enText).toContain('Yes, notify me');
    expect(enText).not.toContain('Unsubscribe'); // transactional: no unsubscribe link
    expect(en.text.match(/confirm\?token=/g)).toHaveLength(1);
    // Plain text: no hidden preheader repeated on top, paragraphs apart.
    expect(en.text).not.toContain('One click and we will email you');
    expect(en.text).toMatch(/^Our shop\n\nOne click to confirm\n\nHello Ada,\n\nYou asked us/);

    const de = await render('confirm', 'de');
    const deText = await look(de.html, 'confirm.de');
    expect(de.subject).toBe('Bitte bestätigen Sie Ihre Benachrichtigung für Trail Runner 2');
    expect(deText).toContain('Hallo Ada,');
    expect(deText).toContain('Ja, bitte benachrichtigen');
    expect(deText).toContain('48 Stunden');
    expect(deText).toContain('Gesendet von Unser Shop');
    expect(deText).not.toMatch(/\b(Hello|You|Sent by|Unsubscribe|the)\b/);
    expect(de.html).toMatch(/<html[^>]*lang="de"/);
  });

  it('the German restock and ETA emails carry no English words and German dates', async () => {
    for (const key of ['back-in-stock', 'eta-revised']) {
      const m = await render(key, 'de');
      expect(m.text).toMatch(germanMonths);
      expect(m.text).not.toMatch(englishMonths);
      expect(m.text).toContain('Benachrichtigung abbestellen');
      expect(m.text.replace(/\[https?:\/\/\S+\]/g, '')).not.toMatch(/\b(Hello|You|Sent by|Unsubscribe|Reason|the)\b/);
    }
  });
});
