import { and, desc, eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { products, templates, type Template } from '../../db/schema/index.js';
import { AppError, isAppError } from '../../errors.js';
import type { MjmlError, Renderer } from '../../mail/render.js';
import { defaultLocale } from '../../mail/template-file.js';
import { brandingVariables } from '../branding/branding-input.js';
import { getBranding } from '../branding/get-branding.js';
import { shopVariableDeclarations } from '../variables/shop-variables.js';
import { checkTemplate, type Check } from './check-template.js';
import { checkPageCopy } from './page-copy-checks.js';
import { SAMPLE_IMAGE_PATH } from './sample-image.js';
import { BULK_TEMPLATE_KEYS, declaredNames, fallbackLocales, PAGES_KEY, type TemplateRef } from './template-versions.js';

export type TemplateContent = { subject: string; mjml: string; messages?: Record<string, string> | null };
export type Evaluation = { subject: string; html: string; text: string; checks: Check[] };

/**
 * Renders a template's content with example data and runs every check — what preview, save,
 * publish, rollback and test-send share. Emails: MJML through `renderer` (the service's own), filled
 * with the declared examples, the branding and, when `sku` is given, that product's data. Pages:
 * the catalogue checked against the shipped one; `html` lists the texts.
 * @throws AppError UNKNOWN_SKU when `sku` names no product.
 */
export async function evaluateTemplate(
  deps: Pick<Deps, 'db' | 'config'>,
  renderer: Renderer,
  ref: TemplateRef,
  content: TemplateContent,
  declared: Template['variables'],
  options: { sku?: string } = {},
): Promise<Evaluation> {
  if (ref.key === PAGES_KEY) return evaluatePageCopy(deps, ref, content.messages ?? {});
  // Variables marketing staff added for every template (console → Settings): declared, with their sample.
  declared = { ...(await shopVariableDeclarations(deps)), ...declared };
  const vars = await exampleVariables(deps, ref, declared, options.sku);
  let mjmlErrors: MjmlError[] = [];
  let rendered: { subject: string; html: string; text: string } | undefined;
  try {
    const compiled = await renderer.compile({ subject: content.subject, mjml: content.mjml });
    rendered = renderer.render(compiled, vars);
  } catch (err) {
    if (isAppError(err) && err.code === 'VALIDATION' && Array.isArray(err.details)) mjmlErrors = err.details as MjmlError[];
    // A Handlebars syntax error surfaces at render time; checkTemplate reports it with its line.
    else if (!(err instanceof Error)) throw err;
  }
  const checks = checkTemplate({
    subject: content.subject,
    mjml: content.mjml,
    declared: declaredNames(declared),
    mjmlErrors,
    html: rendered?.html,
    bulk: BULK_TEMPLATE_KEYS.has(ref.key),
  });
  return { subject: rendered?.subject ?? content.subject, html: rendered?.html ?? '', text: rendered?.text ?? '', checks };
}

/** Declared examples < branding < the product's real data < the recipient's locale. */
async function exampleVariables(deps: Pick<Deps, 'db' | 'config'>, ref: TemplateRef, declared: Template['variables'], sku?: string) {
  const vars: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(declared)) if (d.example !== undefined) vars[name] = d.example;
  // The declared example points at a made-up shop; the service's own sample picture actually shows.
  if ('imageUrl' in vars) vars.imageUrl = `${deps.config.publicBaseUrl}${SAMPLE_IMAGE_PATH}`;
  Object.assign(vars, brandingVariables(await getBranding(deps)));
  vars.unsubscribeUrl = `${deps.config.publicBaseUrl}/unsubscribe?token=example`;
  if (sku) {
    const [p] = await deps.db.select().from(products).where(eq(products.sku, sku)).limit(1);
    if (!p) throw new AppError('UNKNOWN_SKU', `No product with SKU ${sku}.`);
    Object.assign(vars, {
      sku: p.sku,
      productName: p.name,
      ...(p.url ? { productUrl: p.url } : {}),
      imageUrl: p.imageUrl ?? '',
      quantity: p.quantity,
      ...(p.eta ? { newEta: p.eta, eta: p.eta } : {}),
      ...(p.etaReason ? { reason: p.etaReason } : {}),
    });
  }
  vars.locale = ref.locale === 'default' ? defaultLocale : ref.locale;
  return vars;
}

async function evaluatePageCopy(deps: Pick<Deps, 'db'>, ref: TemplateRef, messages: Record<string, string>): Promise<Evaluation> {
  const base = await shippedPageCopy(deps, ref.locale);
  const checks = checkPageCopy(messages, base);
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const rows = Object.entries({ ...base, ...messages })
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('');
  const html = `<!doctype html><html lang="${esc(ref.locale)}"><meta charset="utf-8"><table>${rows}</table></html>`;
  const text = Object.entries({ ...base, ...messages }).map(([k, v]) => `${k}: ${v}`).join('\n');
  return { subject: '', html, text, checks };
}

/** The catalogue as shipped in templates/pages/ (the newest seeded version) for a locale, falling back to `en`. */
export async function shippedPageCopy(deps: Pick<Deps, 'db'>, locale: string): Promise<Record<string, string>> {
  for (const l of fallbackLocales(PAGES_KEY, locale)) {
    const [row] = await deps.db
      .select({ messages: templates.messages })
      .from(templates)
      .where(and(eq(templates.key, PAGES_KEY), eq(templates.locale, l), eq(templates.source, 'file')))
      .orderBy(desc(templates.version))
      .limit(1);
    if (row?.messages) return row.messages;
  }
  return {};
}
