import Handlebars from 'handlebars';
import { renderedChecks } from './rendered-checks.js';

/**
 * Pre-publish checks of an email template: pure (the MJML errors and the HTML rendered with the sample
 * data are inputs). Placeholders are judged on the source (Handlebars' own parser); links, the
 * unsubscribe link, foreign merge tags and scripts on what is sent (`rendered-checks.ts`).
 * `error` blocks publishing, `warning` does not. `line` is 1-based in the MJML source; `field` says
 * whether the subject or the body is meant.
 */
export type { Check } from './check.js';
import type { Check } from './check.js';

export type CheckInput = {
  subject: string;
  mjml: string;
  /** Variables the template may use: its declarations plus what the sender always adds. */
  declared: ReadonlySet<string>;
  /** mjml's `validationLevel: 'soft'` errors (`code` RENDER_TIMEOUT / TOO_LARGE: the renderer's limits, line 0). */
  mjmlErrors: readonly { line: number; message: string; tagName?: string; code?: string }[];
  /** The HTML rendered with example data; undefined when MJML did not compile (then only source checks run). */
  html?: string;
  /** The sample data's unsubscribe URL, which the rendered HTML must link to when `bulk`. */
  unsubscribeUrl?: string;
  /** Bulk mail must carry the unsubscribe link (RFC 8058 header aside, the law wants it visible). */
  bulk: boolean;
};

/** Gmail clips a message whose HTML is larger than this (hiding the footer and its unsubscribe link). */
export const GMAIL_CLIP_BYTES = 102 * 1024;

/** Helpers the renderer registers (plus Handlebars' built-ins): calling these is not "a variable". */
const HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log', 'formatDate']);

export function checkTemplate(input: CheckInput): Check[] {
  const checks: Check[] = [];
  if (input.subject.trim() === '')
    checks.push({ code: 'SUBJECT_EMPTY', level: 'error', message: 'The subject line is empty.', field: 'subject' });
  for (const e of input.mjmlErrors) {
    checks.push({
      code: e.code ?? 'MJML_ERROR',
      level: 'error',
      message: e.tagName ? `${e.message} (<${e.tagName}>)` : e.message,
      field: 'mjml',
      ...(e.line > 0 ? { line: e.line } : {}),
    });
  }
  checks.push(
    ...variableChecks(input.subject, 'subject', input.declared),
    ...variableChecks(input.mjml, 'mjml', input.declared),
  );
  if (input.html !== undefined) {
    checks.push(
      ...renderedChecks({
        mjml: input.mjml,
        html: input.html,
        unsubscribeUrl: input.unsubscribeUrl ?? '',
        bulk: input.bulk,
      }),
    );
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
    return [
      {
        code: 'HANDLEBARS_SYNTAX',
        level: 'error',
        message: `Placeholder syntax: ${message}`,
        field,
        ...(line && field === 'mjml' ? { line: Number(line) } : {}),
      },
    ];
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
      message:
        what === 'helper'
          ? `{{${name} …}} is not a known helper.`
          : `{{${name}}} is not a declared variable of this template (it would render empty).`,
      field,
      ...(field === 'mjml' && line ? { line } : {}),
    });
  };
  const visitPath = (p: HbsNode) => {
    if (p.type !== 'PathExpression') return visit(p);
    const parts = p.parts as string[];
    // `this`, `../x` and `@index` are relative to a block's context, not the template's variables.
    if (
      p.data ||
      (p.depth as number) > 0 ||
      parts.length === 0 ||
      p.original === 'this' ||
      String(p.original).startsWith('this.')
    )
      return;
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
