import { Parser } from 'htmlparser2';
import { decodeAttr, lineIndex, scanMjml } from '../../mail/mjml-scan.js';
import type { Check } from './check.js';

/**
 * The checks that judge what is sent: the HTML rendered with the sample data, read by htmlparser2
 * (comments are not content, `base-url` is already applied), with findings mapped back to lines of the
 * MJML source. Every pass is linear: one tokeniser pass over the HTML, one over the source, and
 * bounded-length patterns for foreign merge tags (no backtracking over the raw input).
 */
export type RenderedCheckInput = {
  mjml: string;
  html: string;
  /** The unsubscribe URL the sample data carries: bulk mail must link to it in the output. */
  unsubscribeUrl: string;
  bulk: boolean;
};

/** Merge tags of other tools that Handlebars leaves alone, so they would be printed as they are. */
const FOREIGN_TAGS: { tool: string; re: RegExp }[] = [
  { tool: 'Mailchimp', re: /\*\|[A-Za-z_][\w:-]{0,40}\|\*/g },
  { tool: 'Salesforce/ExactTarget', re: /%%[A-Za-z_][\w.-]{0,40}%%/g },
  { tool: 'Sendinblue/Mailjet', re: /\[\[\s?[A-Za-z_][\w.-]{0,40}\s?\]\]/g },
  { tool: 'single-brace', re: /\{[A-Za-z_][\w.-]{0,40}\}/g },
];

/** Absolute http(s) URL with exactly one scheme before the query (`https://a.iohttps://a.io` is not). */
function linkProblem(href: string): 'relative' | 'malformed' | undefined {
  if (/^(mailto|tel):/i.test(href)) return undefined;
  if (!/^https?:\/\//i.test(href)) return 'relative';
  const end = href.search(/[?#]/);
  const head = end < 0 ? href : href.slice(0, end);
  if (head.indexOf('://', head.indexOf('://') + 3) >= 0) return 'malformed';
  try {
    const u = new URL(href);
    if (!u.hostname || /\s/.test(href)) return 'malformed';
  } catch {
    return 'malformed';
  }
  return undefined;
}

export function renderedChecks(input: RenderedCheckInput): Check[] {
  const out: Check[] = [];
  const lineAt = lineIndex(input.mjml);
  const elements = scanMjml(input.mjml);
  // Source links with their lines: exact value first, then "the rendered URL ends with it" (base-url).
  const sourceLinks = elements.flatMap((e) => {
    const a = e.attrs.get('href');
    return a ? [{ value: decodeAttr(a.raw).text.trim(), line: lineAt(e.start) }] : [];
  });
  const exact = new Map<string, number>();
  for (const l of sourceLinks) if (!exact.has(l.value)) exact.set(l.value, l.line);
  const lineOfLink = (href: string) =>
    exact.get(href) ??
    sourceLinks.find((l) => l.value !== '' && !l.value.includes('{{') && href.endsWith(l.value))?.line;
  const lineOfText = (text: string) => {
    const at = input.mjml.indexOf(text);
    return at < 0 ? undefined : lineAt(at);
  };

  let unsubscribed = false;
  const seenLinks = new Set<string>();
  const foreign = new Map<string, string>();
  let skipText = 0;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'style' || name === 'script') skipText++;
        if (name === 'script') {
          out.push({
            code: 'SCRIPT_TAG',
            level: 'error',
            message: 'Scripts do not run in email and get messages flagged as spam.',
            field: 'mjml',
            ...at(lineOfText('<script')),
          });
        }
        for (const value of Object.values(attrs)) scanForeign(value);
        if (name !== 'a' || attrs.href === undefined) return;
        // mjml's own carousel thumbnails link to `#1`, `#2`: its markup, not the author's links.
        if (attrs.class?.includes('mj-carousel-thumbnail')) return;
        const href = attrs.href.trim();
        if (href === input.unsubscribeUrl) unsubscribed = true;
        if (seenLinks.has(href)) return;
        seenLinks.add(href);
        const problem = linkProblem(href);
        if (!problem) return;
        const shown = href.length > 80 ? `${href.slice(0, 79)}…` : href;
        out.push({
          code: problem === 'relative' ? 'LINK_NOT_HTTP' : 'LINK_MALFORMED',
          level: 'error',
          message:
            problem === 'relative'
              ? `The link "${shown}" is not an absolute http(s) URL in the sent email (relative, anchor and javascript: links break or are blocked in email).`
              : `The link "${shown}" is not a valid URL as sent (check base-url and the link: they were joined into this).`,
          field: 'mjml',
          ...at(lineOfLink(href)),
        });
      },
      onclosetag(name) {
        if (name === 'style' || name === 'script') skipText--;
      },
      ontext(text) {
        if (skipText === 0) scanForeign(text);
      },
    },
    { decodeEntities: true },
  );
  function scanForeign(text: string) {
    if (text.length < 3) return;
    for (const { tool, re } of FOREIGN_TAGS) {
      for (const m of text.matchAll(re)) if (!foreign.has(m[0])) foreign.set(m[0], tool);
    }
  }
  parser.end(input.html);

  if (input.bulk && !unsubscribed) {
    out.push({
      code: 'UNSUBSCRIBE_LINK_MISSING',
      level: 'error',
      message:
        'This email goes to a waitlist: the sent email needs a visible unsubscribe link, href="{{unsubscribeUrl}}" (one inside a comment is not sent).',
      field: 'mjml',
    });
  }
  for (const [tag, tool] of foreign) {
    const line = lineOfText(tag);
    out.push({
      code: 'FOREIGN_MERGE_TAG',
      level: 'error',
      message: `${tag}${line ? ` (line ${line})` : ''} would be sent as it is: it is a ${tool === 'single-brace' ? 'placeholder of another tool' : `${tool} merge tag`}. Use one of this template's variables, e.g. {{name}}.`,
      field: 'mjml',
      ...at(line),
    });
  }
  out.push(...altChecks(elements, lineAt));
  return out;
}

const at = (line: number | undefined) => (line ? { line } : {});

/**
 * Alt text, from the source: mjml writes `alt=""` for an image without one, so the output cannot tell
 * "decorative" (`alt=""`, no warning) from "forgotten" (no alt, a warning). Images in mj-body only:
 * an `mj-attributes` default is no image, but an alt given there counts for every image of its tag.
 */
function altChecks(elements: ReturnType<typeof scanMjml>, lineAt: (o: number) => number): Check[] {
  const defaults = new Set<string>();
  for (const e of elements) {
    if (e.ancestors.includes('mj-attributes') && e.attrs.has('alt')) defaults.add(e.name === 'mj-all' ? '*' : e.name);
  }
  const out: Check[] = [];
  for (const e of elements) {
    if (e.name !== 'mj-image' && e.name !== 'mj-carousel-image' && e.name !== 'img') continue;
    if (!e.ancestors.includes('mj-body') || e.attrs.has('alt') || defaults.has(e.name) || defaults.has('*')) continue;
    out.push({
      code: 'IMAGE_ALT_MISSING',
      level: 'warning',
      message: `<${e.name}> has no alt text: many mail clients block images, and screen readers need it (alt="" marks a decorative image).`,
      line: lineAt(e.start),
      field: 'mjml',
    });
  }
  return out;
}
