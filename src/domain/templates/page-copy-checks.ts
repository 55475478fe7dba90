import type { Check } from './check-template.js';

const placeholders = (text: string) =>
  new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] as string));

/**
 * Checks of a hosted pages' catalogue against the shipped one (`base`, from templates/pages/):
 * a placeholder the shipped text does not have would never be filled (error); an empty text or a key
 * no page reads is suspicious (warning). Pure. `field` is the message key.
 */
export function checkPageCopy(
  messages: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string>>,
): Check[] {
  const out: Check[] = [];
  for (const [key, text] of Object.entries(messages)) {
    const shipped = base[key];
    if (shipped === undefined) {
      out.push({
        code: 'UNKNOWN_MESSAGE_KEY',
        level: 'warning',
        message: `No page uses the key "${key}".`,
        field: key,
      });
      continue;
    }
    if (text.trim() === '')
      out.push({ code: 'MESSAGE_EMPTY', level: 'warning', message: `"${key}" is empty.`, field: key });
    const allowed = placeholders(shipped);
    for (const p of placeholders(text)) {
      if (!allowed.has(p)) {
        out.push({
          code: 'UNDECLARED_VARIABLE',
          level: 'error',
          message: `"${key}" uses {{${p}}}, which this text does not have (${allowed.size ? [...allowed].map((a) => `{{${a}}}`).join(', ') : 'none'}).`,
          field: key,
        });
      }
    }
    if (/<\s*\/?\s*[a-z]/i.test(text))
      out.push({
        code: 'MARKUP_IN_TEXT',
        level: 'warning',
        message: `"${key}" contains markup; pages show it as text.`,
        field: key,
      });
  }
  return out.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
}
