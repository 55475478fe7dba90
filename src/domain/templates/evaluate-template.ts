import { and, desc, eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { products, templates, type Template } from '../../db/schema/index.js';
import { AppError, isAppError } from '../../errors.js';
import type { CompiledTemplate, MjmlError, Renderer } from '../../mail/render.js';
import { defaultLocale } from '../../mail/template-file.js';
import { brandingVariables } from '../branding/branding-input.js';
import { getBranding } from '../branding/get-branding.js';
import { shopVariableDeclarations } from '../variables/shop-variables.js';
import type { Check } from './check-template.js';
import { optionNoticeChecks } from './option-notice-checks.js';
import { checkPageCopy } from './page-copy-checks.js';
import { SAMPLE_IMAGE_PATH } from './sample-image.js';
import { sampleRender, type SampleRenderInput, type SampleRenderOutput } from './sample-render.js';
import {
  BULK_TEMPLATE_KEYS,
  declaredNames,
  fallbackLocales,
  PAGES_KEY,
  type TemplateRef,
} from './template-versions.js';

const SAMPLE_RENDER_WORKER = new URL('./sample-render-worker.mjs', import.meta.url).href;

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
  deps: Pick<Deps, 'db' | 'config'> & { renderer: Renderer },
  input: { ref: TemplateRef; content: TemplateContent; declared: Template['variables']; sku?: string | undefined },
): Promise<Evaluation> {
  const { ref, content } = input;
  const { renderer } = deps;
  if (ref.key === PAGES_KEY) return evaluatePageCopy(deps, ref, content.messages ?? {});
  // Variables marketing staff added for every template (console → Settings): declared, with their sample.
  const declared = { ...(await shopVariableDeclarations(deps)), ...input.declared };
  const vars = await exampleVariables(deps, ref, declared, input.sku);
  let mjmlErrors: MjmlError[] = [];
  let compiled: CompiledTemplate | undefined;
  try {
    compiled = await renderer.compile({ subject: content.subject, mjml: content.mjml });
  } catch (err) {
    // VALIDATION carries mjml's errors, or the renderer's own limits (took too long, too large).
    if (isAppError(err) && err.code === 'VALIDATION' && Array.isArray(err.details))
      mjmlErrors = err.details as MjmlError[];
    else throw err;
  }
  const sample: SampleRenderInput = {
    ...(compiled ? { compiled: { hash: compiled.hash, locale: compiled.locale, sources: compiled.sources } } : {}),
    vars,
    check: {
      subject: content.subject,
      mjml: content.mjml,
      declared: declaredNames(declared),
      mjmlErrors,
      unsubscribeUrl: String(vars.unsubscribeUrl),
      bulk: BULK_TEMPLATE_KEYS.has(ref.key),
    },
  };
  let result: SampleRenderOutput;
  try {
    // The sample render and the checks of a big email are seconds of CPU: in the render pool when there is one.
    result = renderer.offload
      ? await renderer.offload<SampleRenderOutput>(SAMPLE_RENDER_WORKER, 'sampleRender', sample)
      : sampleRender(renderer, sample);
  } catch (err) {
    if (!(isAppError(err) && err.code === 'VALIDATION' && Array.isArray(err.details))) throw err;
    result = sampleRender(renderer, { vars, check: { ...sample.check, mjmlErrors: err.details as MjmlError[] } });
  }
  const { rendered } = result;
  const checks = result.checks;
  // Checks of one template's own rules plug in here: the backorder option notices (16 CFR 435.2(b)(1)).
  checks.unshift(...optionNoticeChecks(ref.key, content.mjml));
  return {
    subject: rendered?.subject ?? content.subject,
    html: rendered?.html ?? '',
    text: rendered?.text ?? '',
    checks,
  };
}

/** Declared examples < branding < the product's real data < the recipient's locale. */
async function exampleVariables(
  deps: Pick<Deps, 'db' | 'config'>,
  ref: TemplateRef,
  declared: Template['variables'],
  sku?: string,
) {
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

async function evaluatePageCopy(
  deps: Pick<Deps, 'db'>,
  ref: TemplateRef,
  messages: Record<string, string>,
): Promise<Evaluation> {
  const base = await shippedPageCopy(deps, ref.locale);
  const checks = checkPageCopy(messages, base);
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const rows = Object.entries({ ...base, ...messages })
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('');
  const html = `<!doctype html><html lang="${esc(ref.locale)}"><meta charset="utf-8"><table>${rows}</table></html>`;
  const text = Object.entries({ ...base, ...messages })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return { subject: '', html, text, checks };
}

/** The catalogue as shipped in templates/pages/ (the newest seeded version) for a locale, falling back to `en`. */
async function shippedPageCopy(deps: Pick<Deps, 'db'>, locale: string): Promise<Record<string, string>> {
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
