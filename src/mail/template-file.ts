import { fileURLToPath } from 'node:url';

/**
 * `templates/` at the project root: the seed files (`<key>.mjml`, `<key>.json`, `partials/`) that
 * `seedTemplates` loads at start-up, and the base mj-include resolves against.
 */
export const templatesDir = fileURLToPath(new URL('../../templates', import.meta.url));
