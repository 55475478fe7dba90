import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readTemplateFiles } from '../../../src/domain/templates/read-template-files.js';
import { applyChange, changeFor, findRegions } from '../../../src/http/admin/client/mjml-regions.js';
import { createRenderer } from '../../../src/mail/render.js';
import { largeCatalogue } from '../../fixtures/mjml/large.js';

const fixture = (name: string) => readFile(new URL(`../../fixtures/mjml/${name}`, import.meta.url), 'utf8');

const sample = `<mjml>
  <mj-head><mj-attributes><mj-text color="#111" /><mj-image alt="" /></mj-attributes></mj-head>
  <mj-body>
    <!-- visual: Headline -->
    <mj-text font-size="24px">{{productName}} is back</mj-text>
    <mj-image src="{{imageUrl}}" alt="{{productName}}" />
    <mj-text>Hello{{#if name}} {{name}}{{/if}},</mj-text>
    <mj-button href="{{productUrl}}" background-color="#111827">Shop {{productName}}</mj-button>
  </mj-body>
</mjml>`;

/** Sets every field to its own value: must change no byte. */
function noOpRoundTrip(source: string): string {
  let out = source;
  for (const region of findRegions(out)) {
    for (const field of region.fields) {
      const change = changeFor(out, region.id, field.name, field.value);
      if (change) out = applyChange(out, change);
    }
  }
  return out;
}

/** How many characters differ between two strings (same length, or a plain prefix/suffix count). */
function changedChars(a: string, b: string): number {
  let pre = 0;
  while (pre < a.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  return Math.max(a.length, b.length) - pre - suf;
}

describe('visual mode regions (parsed, with positions)', () => {
  it('finds blocks inside mj-body only, named after their content; mj-attributes defaults are no blocks', () => {
    const regions = findRegions(sample, (n) => (n === 'productName' ? 'Product name' : n));
    expect(regions.map((r) => r.label)).toEqual([
      'Email background',
      'Headline',
      'Image: Product name',
      'Text: Hello name,',
      'Button: Shop Product name',
    ]);
    expect(regions[1]?.fields[0]?.value).toBe('{{productName}} is back');
    expect(regions[1]?.line).toBe(5);
    expect(regions.find((r) => r.kind === 'button')?.fields.map((f) => [f.name, f.value])).toEqual([
      ['content', 'Shop {{productName}}'],
      ['href', '{{productUrl}}'],
      ['background-color', '#111827'],
      ['color', ''],
    ]);
  });

  it('changes exactly one range; a quote is escaped; clearing an optional attribute removes it', () => {
    const next = applyChange(sample, changeFor(sample, 'text-1', 'content', 'Good news: {{productName}} is here')!);
    expect(next).toBe(sample.replace('{{productName}} is back<', 'Good news: {{productName}} is here<'));
    const coloured = applyChange(next, changeFor(next, 'button-1', 'color', '#fff"x')!);
    expect(coloured).toContain('background-color="#111827" color="#fff&quot;x">Shop');
    expect(findRegions(coloured).find((r) => r.id === 'button-1')?.fields[3]?.value).toBe('#fff"x');
    const cleared = applyChange(coloured, changeFor(coloured, 'button-1', 'color', '')!);
    expect(cleared).toBe(next);
  });

  it('real-estate shape (`>` on its own line, `</mj-text\\n>`): every block is a field, none swallows the rest', async () => {
    const src = await fixture('real-estate.mjml');
    const regions = findRegions(src);
    const count = (k: string) => regions.filter((r) => r.kind === k).length;
    // In mj-body: 6 mj-text, 3 mj-button, 3 mj-image, 2 mj-social-element, 1 hero, 4 sections, 1 coloured column.
    expect([
      count('text'),
      count('button'),
      count('image'),
      count('social'),
      count('hero'),
      count('section'),
      count('column'),
    ]).toEqual([6, 3, 3, 2, 1, 4, 1]);
    // (the mj-image in mj-attributes is a default, not a block)
    for (const r of regions.filter((x) => x.kind === 'text' || x.kind === 'button')) {
      expect(r.fields[0]!.value.length, r.label).toBeLessThan(200);
    }
    expect(regions.filter((r) => r.kind === 'button').map((r) => r.label)).toEqual([
      'Button: Start searching',
      'Button: View listing',
      'Button: View listing',
    ]);
    expect(regions.filter((r) => r.kind === 'image').map((r) => r.label)).toEqual([
      'Image: logo-white.png',
      'Image: listing-1.jpg',
      'Image: listing-2.jpg',
    ]);
  });

  it('round trip: unchanged fields leave every fixture byte-identical, CRLF included', async () => {
    for (const name of ['real-estate.mjml', 'newsletter-crlf.mjml', 'other-tools.mjml']) {
      const src = await fixture(name);
      expect(noOpRoundTrip(src), name).toBe(src);
    }
    const crlf = await fixture('newsletter-crlf.mjml');
    expect(crlf.split('\r\n').length).toBeGreaterThan(30);
    const big = largeCatalogue();
    expect(big.length).toBeGreaterThan(80 * 1024);
    // Every 10th block of the 80 KB+ one (each changeFor re-parses the whole source, as a keystroke does).
    const regions = findRegions(big);
    for (const r of regions.filter((_, i) => i % 10 === 0)) {
      for (const f of r.fields) expect(changeFor(big, r.id, f.name, f.value)).toBeNull();
    }
    expect(regions.filter((r) => r.kind === 'button')).toHaveLength(120);
  });

  it('a one-character edit changes one character; the label keeps its whitespace; untouched & stay escaped', async () => {
    const src = await fixture('real-estate.mjml');
    const button = findRegions(src).find((r) => r.label === 'Button: View listing')!;
    const label = button.fields[0]!;
    expect(label.value).toBe('View listing');
    const edited = applyChange(src, changeFor(src, button.id, 'content', 'View listings')!);
    expect(changedChars(src, edited)).toBe(1);
    expect(edited).toContain('\n          View listings\n        </mj-button>');
    const href = button.fields.find((f) => f.name === 'href')!;
    expect(href.value).toBe('https://www.example-realty.com/listing/1?ref=mail&v=2');
    const moved = applyChange(
      src,
      changeFor(src, button.id, 'href', 'https://www.example-realty.com/listing/1?ref=mail&v=3')!,
    );
    expect(changedChars(src, moved)).toBe(1);
    expect(moved).toContain('listing/1?ref=mail&amp;v=3"');
    const crlf = await fixture('newsletter-crlf.mjml');
    const link = findRegions(crlf).find((r) => r.kind === 'navbar-link')!;
    const next = applyChange(crlf, changeFor(crlf, link.id, 'content', 'Woman')!);
    expect(changedChars(crlf, next)).toBe(1);
    expect(next.split('\r\n').length).toBe(crlf.split('\r\n').length);
  });

  it('newsletter shape: navbar links, carousel images, social and buttons are fields; comments and mj-raw are not', async () => {
    const regions = findRegions(await fixture('newsletter-crlf.mjml'));
    expect(regions.filter((r) => r.kind === 'navbar-link').map((r) => r.label)).toEqual([
      'Menu link: Women',
      'Menu link: Men',
      'Menu link: Sale',
    ]);
    expect(regions.filter((r) => r.kind === 'carousel-image').map((r) => r.label)).toEqual([
      'Carousel image: summer-1.jpg',
      'Carousel image: summer-2.jpg',
      'Carousel image: summer-3.jpg',
    ]);
    expect(regions.filter((r) => r.kind === 'text')).toHaveLength(3);
    expect(regions.find((r) => r.kind === 'button')?.label).toBe('Button: Shop the collection');
  });

  it('every shipped template round-trips, and an edited one still compiles', async () => {
    const renderer = createRenderer();
    for (const file of await readTemplateFiles()) {
      expect(noOpRoundTrip(file.mjml), file.key).toBe(file.mjml);
      const firstText = findRegions(file.mjml).find((r) => r.kind === 'text');
      const edited = applyChange(
        file.mjml,
        changeFor(file.mjml, firstText!.id, 'content', 'Edited in the visual mode')!,
      );
      expect(await renderer.validate(edited), file.key).toEqual([]);
    }
  });
});
