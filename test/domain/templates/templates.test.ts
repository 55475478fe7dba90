import { rows as dbRows } from '../../../src/db/client.js';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublishedTemplates, pickTemplate } from '../../../src/domain/templates/load-published-templates.js';
import { readTemplateFiles } from '../../../src/domain/templates/read-template-files.js';
import { seedTemplates } from '../../../src/domain/templates/seed-templates.js';
import { createRenderer } from '../../../src/mail/render.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(() => deps?.close());

const doc = (title: string, body = '<mj-text>Hi {{name}}</mj-text>') =>
  `<mjml><mj-head><mj-title>${title}</mj-title></mj-head><mj-body><mj-include path="partials/h.mjml" /><mj-section><mj-column>${body}</mj-column></mj-section></mj-body></mjml>`;

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rn-templates-'));
  await mkdir(join(dir, 'partials'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function versions(key: string) {
  return dbRows<{ version: number; status: string; source: string; locale: string }>(
    deps.db,
    sql`select version, status, source, locale from templates where key = ${key} order by locale, version`,
  );
}

describe('templates', () => {
  it('the shipped templates seed as published version 1 with partials expanded, and reseeding changes nothing', async () => {
    const results = await seedTemplates({ ...deps, renderer: deps.services.renderer });
    expect(results.filter((r) => r.outcome === 'invalid')).toEqual([]);
    // Every shipped email × locale is a row: English as `en` (the default), German as `de`.
    for (const key of ['confirm', 'back-in-stock', 'eta-revised']) {
      expect(await versions(key)).toEqual([
        { version: 1, status: 'published', source: 'file', locale: 'de' },
        { version: 1, status: 'published', source: 'file', locale: 'en' },
      ]);
    }
    const again = await seedTemplates({ ...deps, renderer: deps.services.renderer });
    expect(again.every((r) => r.outcome === 'unchanged')).toBe(true);
    const published = await loadPublishedTemplates(deps);
    const current = pickTemplate(published, 'back-in-stock', 'de-AT');
    expect(current?.mjml).not.toContain('mj-include');
    expect(current?.mjml).toContain('{{shopName}}'); // the header partial
    expect(current?.mjml).toContain('Gesendet von'); // the German footer partial
    expect(current?.subject).toBe('{{productName}} ist wieder verfügbar');
    expect(pickTemplate(published, 'back-in-stock', 'en-GB')?.subject).toBe('{{productName}} is back in stock');
    expect(pickTemplate(published, 'eta-revised', 'de')?.locale).toBe('de');
  });

  it('a changed file becomes a new published version; after a console publish it only becomes a draft', async () => {
    const dir = await dirWith({
      'partials/h.mjml': '<mj-section><mj-column><mj-text>{{shopName}}</mj-text></mj-column></mj-section>',
      'promo-x.mjml': doc('One'),
    });
    await seedTemplates({ ...deps, renderer: deps.services.renderer }, { files: await readTemplateFiles(dir) });
    await writeFile(join(dir, 'promo-x.mjml'), doc('Two'));
    expect(
      (await seedTemplates({ ...deps, renderer: deps.services.renderer }, { files: await readTemplateFiles(dir) }))[0],
    ).toMatchObject({
      outcome: 'published',
      version: 2,
    });
    // A partial change is a content change of every template using it.
    await writeFile(
      join(dir, 'partials/h.mjml'),
      '<mj-section><mj-column><mj-text>{{shopName}}!</mj-text></mj-column></mj-section>',
    );
    expect(
      (await seedTemplates({ ...deps, renderer: deps.services.renderer }, { files: await readTemplateFiles(dir) }))[0],
    ).toMatchObject({
      outcome: 'published',
      version: 3,
    });

    await dbRows(
      deps.db,
      sql`insert into templates (key, locale, version, subject, mjml, status, source, published_at)
      select key, locale, 4, 'Console', mjml, 'published', 'console', now() from templates where key = 'promo-x' and version = 3`,
    );
    await writeFile(join(dir, 'promo-x.mjml'), doc('Five'));
    expect(
      (await seedTemplates({ ...deps, renderer: deps.services.renderer }, { files: await readTemplateFiles(dir) }))[0],
    ).toMatchObject({
      outcome: 'draft',
      version: 5,
    });
    expect(pickTemplate(await loadPublishedTemplates(deps), 'promo-x', null)?.subject).toBe('Console');
  });

  it('invalid MJML is reported with line numbers and never stored', async () => {
    const dir = await dirWith({
      'partials/h.mjml': '<mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section>',
      'broken-x.mjml': doc('Broken', '<mj-text>ok</mj-text>\n<mj-bogus>no</mj-bogus>'),
    });
    const renderer = createRenderer();
    const [r] = await seedTemplates({ ...deps, renderer }, { files: await readTemplateFiles(dir) });
    expect(r).toMatchObject({ key: 'broken-x', outcome: 'invalid' });
    expect(await versions('broken-x')).toEqual([]);
    const problems = await renderer.validate((await readTemplateFiles(dir))[0]!.mjml);
    expect(problems[0]).toMatchObject({ line: expect.any(Number), message: expect.stringMatching(/mj-bogus/) });
  });

  it('a locale-specific file serves that locale and its language; others fall back to en', async () => {
    const dir = await dirWith({
      'partials/h.mjml': '<mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section>',
      'hello-x.mjml': doc('Hello'),
      'hello-x.de.mjml': doc('Hallo'),
    });
    await seedTemplates({ ...deps, renderer: deps.services.renderer }, { files: await readTemplateFiles(dir) });
    const t = await loadPublishedTemplates(deps);
    expect(pickTemplate(t, 'hello-x', 'de-AT')?.subject).toBe('Hallo');
    expect(pickTemplate(t, 'hello-x', 'fr')?.subject).toBe('Hello');
    expect(pickTemplate(t, 'hello-x', 'fr')?.locale).toBe('en');
    expect(pickTemplate(t, 'hello-x', null)?.subject).toBe('Hello');
  });

  it('a de recipient gets the German email with German dates; a locale without templates gets English with English dates', async () => {
    await seedTemplates({ ...deps, renderer: deps.services.renderer });
    const published = await loadPublishedTemplates(deps);
    const send = async (recipientLocale: string) => {
      // What the sender does: pick by the recipient's locale, format dates in the picked template's locale.
      const t = pickTemplate(published, 'eta-revised', recipientLocale)!;
      const compiled = await deps.services.renderer.compile({ subject: t.subject, mjml: t.mjml });
      return {
        picked: t.locale,
        ...deps.services.renderer.render(compiled, {
          productName: 'Kettle',
          shopName: 'S',
          oldEta: '2026-12-15',
          newEta: '2027-01-20',
          locale: t.locale,
        }),
      };
    };
    const de = await send('de-DE');
    expect(de).toMatchObject({ picked: 'de', subject: 'Neuer Liefertermin für Kettle' });
    expect(de.text).toMatch(/Bisher: 15\. Dezember 2026\s+Neu: 20\. Januar 2027/);
    const fr = await send('fr-FR');
    expect(fr).toMatchObject({ picked: 'en', subject: 'New expected date for Kettle' });
    expect(fr.text).toMatch(/Was: December 15, 2026\s+Now: January 20, 2027/);
  });

  it('a template stored under the old `default` locale is still found when no `en` version exists', async () => {
    await dbRows(
      deps.db,
      sql`insert into templates (key, locale, version, subject, mjml, status, source, published_at)
      values ('legacy-x', 'default', 1, 'Legacy', '<mjml><mj-body></mj-body></mjml>', 'published', 'file', now())`,
    );
    expect(pickTemplate(await loadPublishedTemplates(deps), 'legacy-x', 'de')?.subject).toBe('Legacy');
  });

  it('MJML is compiled once per template version across 1,000 renders', async () => {
    const renderer = createRenderer();
    const current = pickTemplate(await loadPublishedTemplates(deps), 'back-in-stock', 'en')!;
    for (let i = 0; i < 1000; i++) {
      const compiled = await renderer.compile({ subject: current.subject, mjml: current.mjml });
      const out = renderer.render(compiled, {
        productName: `P${i}`,
        shopName: 'S',
        locale: 'en',
        restockedAt: '2026-03-01T00:00:00Z',
      });
      expect(out.subject).toBe(`P${i} is back in stock`);
    }
    expect(renderer.compileCount).toBe(1);
  });

  it('the per-process renderer of deps also compiled each sent version once', async () => {
    // The sender uses deps.services.renderer; seeding compiled each file once and the compile cache served the rest.
    const before = deps.services.renderer.compileCount;
    await seedTemplates({ ...deps, renderer: deps.services.renderer });
    expect(deps.services.renderer.compileCount).toBe(before);
  });
});
