import Handlebars from 'handlebars';

/**
 * Pre-publish checks of an email template: pure (the MJML errors and the rendered HTML are inputs),
 * so every rule is unit-tested without a renderer. `error` blocks publishing, `warning` does not.
 * `line` is 1-based in the MJML source; `field` says whether the subject or the body is meant.
 */
export type Check = {
  code: string;
  message: string;
  level: 'error' | 'warning';
  line?: number;
  field?: string;
};

export type CheckInput = {
  subject: string;
  mjml: string;
  /** Variables the template may use: its declarations plus what the sender always adds. */
  declared: ReadonlySet<string>;
  /** mjml's `validationLevel: 'soft'` errors. */
  mjmlErrors: readonly { line: number; message: string; tagName?: string }[];
  /** The HTML rendered with example data; undefined when MJML did not compile. */
  html?: string;
  /** Bulk mail must carry the unsubscribe link (RFC 8058 header aside, the law wants it visible). */
  bulk: boolean;
};

/** Gmail clips a message whose HTML is larger than this (hiding the footer and its unsubscribe link). */
export const GMAIL_CLIP_BYTES = 102 * 1024;

/** Helpers the renderer registers (plus Handlebars' built-ins): calling these is not "a variable". */
const HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log', 'formatDate']);

export function checkTemplate(input: CheckInput): Check[] {
  const checks: Check[] = [];
  if (input.subject.trim() === '') checks.push({ code: 'SUBJECT_EMPTY', level: 'error', message: 'The subject line is empty.', field: 'subject' });
  for (const e of input.mjmlErrors) {
    checks.push({ code: 'MJML_ERROR', level: 'error', message: e.tagName ? `${e.message} (<${e.tagName}>)` : e.message, line: e.line, field: 'mjml' });
  }
  checks.push(...variableChecks(input.subject, 'subject', input.declared), ...variableChecks(input.mjml, 'mjml', input.declared));
  checks.push(...markupChecks(input.mjml, input.bulk));
  if (input.html !== undefined) {
    const bytes = Buffer.byteLength(input.html, 'utf8');
    if (bytes > GMAIL_CLIP_BYTES) {
      checks.push({
        code: 'HTML_TOO_LARGE',
        level: 'warning',
        message: `The rendered HTML is ${(bytes / 1024).toFixed(1)} KB; Gmail clips messages over 102 KB (and hides the footer).`,
      });
    }
  }
  return checks.sort((a, b) => (a.level === b.level ? (a.line ?? 0) - (b.line ?? 0) : a.level === 'error' ? -1 : 1));
}

export const blocking = (checks: readonly Check[]) => checks.filter((c) => c.level === 'error');

type HbsNode = { type: string; loc?: { start: { line: number } } | null; [k: string]: unknown };

/** `{{name}}`s the template does not declare, and Handlebars syntax errors, with their lines. */
function variableChecks(source: string, field: 'subject' | 'mjml', declared: ReadonlySet<string>): Check[] {
  let ast: HbsNode;
  try {
    ast = Handlebars.parse(source) as unknown as HbsNode;
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? 'syntax error';
    const line = /line (\d+)/.exec((err as Error).message)?.[1];
    return [{ code: 'HANDLEBARS_SYNTAX', level: 'error', message: `Placeholder syntax: ${message}`, field, ...(line && field === 'mjml' ? { line: Number(line) } : {}) }];
  }
  const out: Check[] = [];
  const seen = new Set<string>();
  const report = (name: string, node: HbsNode, what = 'variable') => {
    const line = node.loc?.start.line;
    const key = `${name}:${line}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({
      code: what === 'helper' ? 'UNKNOWN_HELPER' : 'UNDECLARED_VARIABLE',
      level: 'error',
      message: what === 'helper' ? `{{${name} …}} is not a known helper.` : `{{${name}}} is not a declared variable of this template (it would render empty).`,
      field,
      ...(field === 'mjml' && line ? { line } : {}),
    });
  };
  const visitPath = (p: HbsNode) => {
    if (p.type !== 'PathExpression') return visit(p);
    const parts = p.parts as string[];
    // `this`, `../x` and `@index` are relative to a block's context, not the template's variables.
    if (p.data || (p.depth as number) > 0 || parts.length === 0 || p.original === 'this' || String(p.original).startsWith('this.')) return;
    const root = parts[0] as string;
    if (!declared.has(root)) report(root, p);
  };
  const visitCall = (node: HbsNode, isBlock: boolean) => {
    const path = node.path as HbsNode;
    const params = (node.params as HbsNode[]) ?? [];
    const hash = (node.hash as { pairs?: { value: HbsNode }[] } | undefined)?.pairs ?? [];
    const name = path.type === 'PathExpression' ? String(path.original) : '';
    if (params.length > 0 || hash.length > 0 || isBlock) {
      if (!HELPERS.has(name)) report(name, path, 'helper');
      params.forEach(visitPath);
      for (const h of hash) visitPath(h.value);
    } else {
      visitPath(path);
    }
    // Inside #each / #with the context changes: names there belong to the item, not to the template.
    if (isBlock && (name === 'each' || name === 'with')) return;
    if (node.program) visit(node.program as HbsNode);
    if (node.inverse) visit(node.inverse as HbsNode);
  };
  const visit = (node: HbsNode): void => {
    switch (node.type) {
      case 'Program':
        (node.body as HbsNode[]).forEach(visit);
        break;
      case 'MustacheStatement':
        visitCall(node, false);
        break;
      case 'BlockStatement':
        visitCall(node, true);
        break;
      case 'SubExpression':
        visitCall(node, false);
        break;
      default:
        break;
    }
  };
  visit(ast);
  return out;
}

const lineAt = (source: string, index: number) => source.slice(0, index).split('\n').length;
const placeholderOnly = /^\{\{\{?\s*[\w.]+\s*\}?\}\}/;

/** Unsubscribe link, image alt texts, link schemes and script tags, from the MJML source. */
function markupChecks(mjml: string, bulk: boolean): Check[] {
  const out: Check[] = [];
  if (bulk && !/href\s*=\s*["']\s*\{\{\{?\s*unsubscribeUrl\s*\}?\}\}\s*["']/.test(mjml)) {
    out.push({
      code: 'UNSUBSCRIBE_LINK_MISSING',
      level: 'error',
      message: 'This email goes to a waitlist: it needs a visible unsubscribe link, href="{{unsubscribeUrl}}".',
      field: 'mjml',
    });
  }
  for (const m of mjml.matchAll(/<(mj-image|img)\b([^>]*)>/gi)) {
    const alt = /\balt\s*=\s*("([^"]*)"|'([^']*)')/i.exec(m[2] ?? '');
    if (!alt || (alt[2] ?? alt[3] ?? '').trim() === '') {
      out.push({
        code: 'IMAGE_ALT_MISSING',
        level: 'warning',
        message: `<${m[1]}> has no alt text: many mail clients block images, and screen readers need it.`,
        line: lineAt(mjml, m.index ?? 0),
        field: 'mjml',
      });
    }
  }
  for (const m of mjml.matchAll(/\bhref\s*=\s*("([^"]*)"|'([^']*)')/gi)) {
    const href = (m[2] ?? m[3] ?? '').trim();
    // A placeholder is trusted to be a URL (productUrl, unsubscribeUrl come from the service); mailto: and tel: are fine in email.
    if (/^https?:\/\/[^\s]+$/i.test(href) || /^(mailto|tel):/i.test(href) || placeholderOnly.test(href)) continue;
    out.push({
      code: 'LINK_NOT_HTTP',
      level: 'error',
      message: `The link "${href.slice(0, 80)}" is not an absolute http(s) URL (relative, anchor and javascript: links break or are blocked in email).`,
      line: lineAt(mjml, m.index ?? 0),
      field: 'mjml',
    });
  }
  for (const m of mjml.matchAll(/<script\b/gi)) {
    out.push({ code: 'SCRIPT_TAG', level: 'error', message: 'Scripts do not run in email and get messages flagged as spam.', line: lineAt(mjml, m.index ?? 0), field: 'mjml' });
  }
  return out;
}
