import Handlebars from 'handlebars';

/**
 * When may a template be composed once and spliced per recipient (message-frame.ts)? Only when every
 * use of a per-recipient variable is one the frame can reproduce exactly:
 * - `{{name}}` or `{{{name}}}` (a plain value, HTML-escaped or not), outside any block but `#if`/`#unless`;
 * - `{{#if name}}` / `{{#unless name}}` (only its truthiness matters: frames are built per
 *   combination of empty/non-empty recipient values, see `slotPattern`).
 * Anything else — a helper over the value (`{{formatDate name}}`), a block that changes the context
 * (`#each`, `#with`) or transforms its content, a partial, `lookup`/`this` passed to a helper — and
 * the template is sent per message (always correct, just slower).
 */
export function templateSpliceable(sources: readonly string[], names: readonly string[]): boolean {
  const vars = new Set(names);
  const refersToVar = (p: hbs.AST.PathExpression) =>
    p.data ? p.parts[0] === 'root' && vars.has(p.parts[1] ?? '') : vars.has(p.parts[0] ?? '');
  // `.`/`this` handed to a helper lets it read any variable.
  const isContext = (p: hbs.AST.PathExpression) => !p.data && p.parts.length === 0;

  function exprOk(e: hbs.AST.Expression): boolean {
    if (e.type === 'PathExpression')
      return !refersToVar(e as hbs.AST.PathExpression) && !isContext(e as hbs.AST.PathExpression);
    if (e.type === 'SubExpression') return callOk(e as hbs.AST.SubExpression);
    return true; // literals
  }
  function callOk(c: {
    path: hbs.AST.PathExpression | hbs.AST.Expression;
    params: hbs.AST.Expression[];
    hash?: hbs.AST.Hash;
  }): boolean {
    if (
      c.path.type === 'PathExpression' &&
      refersToVar(c.path as hbs.AST.PathExpression) &&
      (c.params.length > 0 || c.hash)
    )
      return false;
    return c.params.every(exprOk) && (c.hash?.pairs ?? []).every((pair) => exprOk(pair.value));
  }
  function programOk(p: hbs.AST.Program | undefined, inOtherBlock: boolean): boolean {
    return !p || p.body.every((s) => statementOk(s, inOtherBlock));
  }
  function statementOk(s: hbs.AST.Statement, inOtherBlock: boolean): boolean {
    switch (s.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return true;
      case 'MustacheStatement': {
        const m = s as hbs.AST.MustacheStatement;
        const path = m.path as hbs.AST.PathExpression;
        if (m.path.type === 'PathExpression' && refersToVar(path)) {
          // A plain value: one path segment, no helper arguments, not inside a context-changing block.
          return !inOtherBlock && path.parts.length === 1 && !path.data && m.params.length === 0 && !m.hash;
        }
        return callOk(m);
      }
      case 'BlockStatement': {
        const b = s as hbs.AST.BlockStatement;
        // `{{#name}}…{{/name}}`: a section over the value itself (its content sees the value as context).
        if (b.path.type === 'PathExpression' && refersToVar(b.path as hbs.AST.PathExpression)) return false;
        const helper = b.path.type === 'PathExpression' ? (b.path as hbs.AST.PathExpression).original : '';
        const conditional = (helper === 'if' || helper === 'unless') && b.params.length === 1 && !b.hash;
        const first = b.params[0];
        const condOnVar =
          conditional && first?.type === 'PathExpression' && refersToVar(first as hbs.AST.PathExpression);
        if (condOnVar) {
          const p = first as hbs.AST.PathExpression;
          if (inOtherBlock || p.parts.length !== 1 || p.data) return false;
        } else if (!callOk(b)) return false;
        const other = inOtherBlock || !conditional;
        return programOk(b.program, other) && programOk(b.inverse, other);
      }
      default:
        // Partials, decorators: not analysed, so not spliced.
        return false;
    }
  }

  try {
    return sources.every((src) => programOk(Handlebars.parse(src), false));
  } catch {
    return false;
  }
}

/**
 * How a recipient's value may be spliced: `empty` (null, undefined or '': rendered into the frame,
 * falsy in `#if`), a string that is safe to splice, or undefined (send this message the slow way).
 * Safe: a non-empty string without control characters and without leading/trailing whitespace — so
 * the renderer's clean-ups (subject whitespace folded, blank-line runs in the text part collapsed,
 * trim) act on it exactly as they act on the frame around it.
 */
export function slotValue(v: unknown): 'empty' | { value: string } | undefined {
  if (v === null || v === undefined || v === '') return 'empty';
  if (typeof v !== 'string') return undefined;
  if (/[\x00-\x1f\x7f]/.test(v) || /^\s|\s$/.test(v)) return undefined;
  return { value: v };
}
