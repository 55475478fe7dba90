import { describe, expect, it } from 'vitest';
import { readTemplateFiles } from '../../../src/domain/templates/read-template-files.js';
import { applyChange, changeFor, findRegions } from '../../../src/http/admin/client/mjml-regions.js';
import { createRenderer } from '../../../src/mail/render.js';

const sample = `<mjml>
  <mj-head><mj-attributes><mj-text color="#111" /></mj-attributes></mj-head>
  <mj-body>
    <!-- visual: Headline -->
    <mj-text font-size="24px">{{productName}} is back</mj-text>
    <mj-image src="{{imageUrl}}" alt="{{productName}}" />
    <mj-text>Hello{{#if name}} {{name}}{{/if}},</mj-text>
    <mj-button href="{{productUrl}}" background-color="#111827">Shop {{productName}}</mj-button>
  </mj-body>
</mjml>`;

describe('visual mode regions', () => {
  it('finds text blocks, images, buttons and the body colour, labelled by comment', () => {
    const regions = findRegions(sample);
    expect(regions.map((r) => r.label)).toEqual(['Email background', 'Headline', 'Image 1', 'Text block 2', 'Button 1']);
    expect(regions[1]?.fields[0]?.value).toBe('{{productName}} is back');
    expect(regions[1]?.line).toBe(5);
    expect(regions.find((r) => r.kind === 'button')?.fields.map((f) => [f.name, f.value])).toEqual([
      ['content', 'Shop {{productName}}'],
      ['href', '{{productUrl}}'],
      ['background-color', '#111827'],
      ['color', ''],
    ]);
  });

  it('changes exactly one range and leaves every other byte alone', () => {
    const change = changeFor(sample, 'text-1', 'content', 'Good news: {{productName}} is here');
    const next = applyChange(sample, change!);
    expect(next).toBe(sample.replace('{{productName}} is back<', 'Good news: {{productName}} is here<'));
    // A missing attribute is inserted; a quote in a value is escaped, not allowed to end the attribute.
    const coloured = applyChange(next, changeFor(next, 'button-1', 'color', '#fff"x')!);
    expect(coloured).toContain('background-color="#111827" color="#fff&quot;x">Shop');
    expect(findRegions(coloured).find((r) => r.id === 'button-1')?.fields[3]?.value).toBe('#fff"x');
  });

  it('round-trips every shipped template: a no-op edit of every field changes nothing, and it still compiles', async () => {
    const renderer = createRenderer();
    for (const file of await readTemplateFiles()) {
      let source = file.mjml;
      for (const region of findRegions(source)) {
        for (const field of region.fields) {
          if (field.insertAt !== undefined) continue;
          source = applyChange(source, changeFor(source, region.id, field.name, field.value)!);
        }
      }
      expect(source, file.key).toBe(file.mjml);
      const firstText = findRegions(source).find((r) => r.kind === 'text');
      const edited = applyChange(source, changeFor(source, firstText!.id, 'content', 'Edited in the visual mode')!);
      expect(await renderer.validate(edited), file.key).toEqual([]);
    }
  });
});
