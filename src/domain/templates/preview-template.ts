import type { Deps } from '../../deps.js';
import type { Renderer } from '../../mail/render.js';
import { evaluateTemplate, type Evaluation } from './evaluate-template.js';
import { contentFor } from './template-content.js';
import { declarationsFor, loadVersions, parseRef } from './template-versions.js';

/**
 * Renders unsaved content the way it would be sent — the service's renderer, the template's declared
 * examples, the branding, or a real product's data when `sku` is given — and runs the checks.
 * Nothing is stored. Pass a renderer whose compile cache may be thrown away: every keystroke is new content.
 * @throws AppError VALIDATION (body), UNKNOWN_SKU
 */
export async function previewTemplate(
  deps: Pick<Deps, 'db' | 'config'> & { renderer: Renderer },
  input: { key: string; locale: string; body: unknown },
): Promise<Evaluation> {
  const { key, locale } = input;
  const ref = parseRef(key, locale);
  const content = contentFor(key, input.body);
  const declared = await declarationsFor(deps, { ref, versions: await loadVersions(deps, ref) });
  return evaluateTemplate(deps, { ref, content, declared, sku: content.sku });
}
