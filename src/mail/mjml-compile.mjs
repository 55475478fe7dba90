// One MJML compile: mjml2html, the errors that are errors, and the plain-text part. The one place this
// is done — in a worker thread of the render pool (src/runtime/render-pool.ts) or, without a pool, in
// process (src/mail/render.ts). Plain JavaScript on purpose: a worker thread starts without the
// TypeScript loader of its parent (tsx in production, vite in tests). mjml is imported once per thread.
import { convert } from 'html-to-text';

let mjml2html;

const textOptions = {
  wordwrap: false,
  selectors: [
    // The <mj-preview> preheader is hidden in HTML; in the text part it would repeat the opening.
    { selector: 'div[style*="display:none"]', format: 'skip' },
    // Every mj-text is a div: a blank line between them reads as paragraphs.
    { selector: 'div', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
  ],
};

// `background-color="{{accentColor}}"`: MJML type-checks attribute values at compile time, when a
// placeholder is not a colour yet; Handlebars fills it per message afterwards (the branding's accent
// colour, validated as #rrggbb when it is saved). An attribute whose whole value is one placeholder is
// therefore not an MJML error; anything else in it still is.
const placeholderValue = /^Attribute [\w-]+ has invalid value: \{\{[\w.]+\}\} for type /;

/** @param {{ mjml: string, options: Record<string, unknown>, text: boolean }} task */
export default async function compile(task) {
  if (!mjml2html) {
    const m = await import('mjml');
    mjml2html = m.default ?? m;
  }
  const { html, errors } = await mjml2html(task.mjml, task.options);
  const list = errors
    .filter((e) => !placeholderValue.test(e.message))
    .map((e) => ({ line: e.line, message: e.message, tagName: e.tagName }));
  // The plain-text part is derived from the HTML here too: html-to-text of a big email is CPU work.
  return { html, errors: list, text: task.text && list.length === 0 ? convert(html, textOptions) : '' };
}
