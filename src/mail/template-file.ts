import { fileURLToPath } from 'node:url';

/**
 * `templates/` at the project root: the seed files that `seedTemplates` loads at start-up, and the
 * base mj-include resolves against. Layout: `<key>.mjml` is the default locale (English),
 * `<key>.<locale>.mjml` a translation (e.g. `back-in-stock.de.mjml`); `<key>[.<locale>].json` declares
 * the variables; `partials/<name>.mjml` is shared, `partials/<name>.<locale>.mjml` holds a locale's words.
 */
export const templatesDir = fileURLToPath(new URL('../../templates', import.meta.url));

/** The locale of `<key>.mjml`, and the one every other locale falls back to. */
export const defaultLocale = 'en';
